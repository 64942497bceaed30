/** The result of parsing text the way a Go function does: the value, or the Go function's error text. */
export type GoParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
