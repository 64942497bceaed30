/** The explorer's state as the page's URL query string, so a view can be shared or bookmarked. */

export interface ExplorerState {
  readonly query: string;
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  readonly direction: 'backward' | 'forward';
  /** X-Scope-OrgID for the requests; empty sends none. */
  readonly tenant: string;
}

export const DEFAULT_STATE: ExplorerState = { query: '', from: 'now-1h', to: 'now', limit: 100, direction: 'backward', tenant: '' };

/** The state a URL query string describes, defaults where it is silent. */
export function readState(search: string): ExplorerState {
  const p = new URLSearchParams(search);
  const limit = Number(p.get('limit'));
  return {
    query: p.get('query') ?? DEFAULT_STATE.query,
    from: p.get('from') || DEFAULT_STATE.from,
    to: p.get('to') || DEFAULT_STATE.to,
    limit: Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_STATE.limit,
    direction: p.get('direction') === 'forward' ? 'forward' : 'backward',
    tenant: p.get('orgId') ?? '',
  };
}

/** The URL query string for `s`, leaving out what is at its default. */
export function writeState(s: ExplorerState): string {
  const p = new URLSearchParams();
  if (s.query !== '') p.set('query', s.query);
  if (s.from !== DEFAULT_STATE.from) p.set('from', s.from);
  if (s.to !== DEFAULT_STATE.to) p.set('to', s.to);
  if (s.limit !== DEFAULT_STATE.limit) p.set('limit', String(s.limit));
  if (s.direction !== DEFAULT_STATE.direction) p.set('direction', s.direction);
  if (s.tenant !== '') p.set('orgId', s.tenant);
  const q = p.toString();
  return q === '' ? '' : `?${q}`;
}
