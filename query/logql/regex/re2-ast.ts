/**
 * The tree of a Go (RE2) regular expression as Go's regexp/syntax builds it: adjacent literals
 * merged, classes as sorted code point ranges with case folding already applied. Pure types.
 */

/** An inclusive code point range. */
export type CharRange = readonly [number, number];

/** A node of a parsed Go regular expression. */
export type ReNode =
  | { readonly op: 'literal'; readonly runes: readonly number[]; readonly fold: boolean }
  | {
      readonly op: 'class';
      readonly ranges: readonly CharRange[];
      /** Unicode property escapes in JS syntax (`\\p{L}`, `\\P{Script=Greek}`), matched besides `ranges`. */
      readonly props: readonly string[];
      /** True when the class matches what `ranges` and `props` do not (only with props). */
      readonly negated: boolean;
    }
  | { readonly op: 'anyCharNotNL' }
  | { readonly op: 'anyChar' }
  | { readonly op: 'beginLine' | 'endLine' | 'beginText' | 'endText' | 'wordBoundary' | 'noWordBoundary' }
  | { readonly op: 'emptyMatch' }
  | { readonly op: 'capture'; readonly index: number; readonly name: string; readonly sub: ReNode }
  | { readonly op: 'star' | 'plus' | 'quest'; readonly greedy: boolean; readonly sub: ReNode }
  | { readonly op: 'repeat'; readonly min: number; readonly max: number; readonly greedy: boolean; readonly sub: ReNode }
  | { readonly op: 'concat'; readonly subs: readonly ReNode[] }
  | { readonly op: 'alternate'; readonly subs: readonly ReNode[] };

/** A parsed regular expression: its tree and its capture groups' names ('' when unnamed), index 1 first. */
export interface ParsedRegex {
  readonly root: ReNode;
  readonly captureNames: readonly string[];
}

/** The highest code point. */
export const MAX_RUNE = 0x10ffff;
