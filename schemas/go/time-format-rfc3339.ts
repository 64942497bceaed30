/**
 * Go's time.Time as JSON (`time.RFC3339Nano`: trailing zeros of the fraction dropped, none when
 * whole, UTC as `Z`, the zero time `0001-01-01T00:00:00Z`) and go-openapi's strfmt.DateTime
 * (`2006-01-02T15:04:05.000Z07:00`, always three fraction digits), for times held in ms: the rule
 * APIs' evaluation times and the times of alerts posted to Alertmanager. Pure.
 */

/** time.Time JSON of `ms` since the epoch; 0 is Go's zero time. */
export function formatRfc3339Nano(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => (f === '000' ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

/** strfmt.DateTime of `ms` since the epoch; 0 is Go's zero time. */
export function formatRfc3339Millis(ms: number): string {
  return ms === 0 ? '0001-01-01T00:00:00.000Z' : new Date(ms).toISOString();
}
