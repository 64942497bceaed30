/**
 * Drain log-template mining, as Loki's pattern ingester runs it (`L:pkg/pattern/drain/drain.go`,
 * after He et al., "Drain: An Online Log Parsing Approach with Fixed Depth Tree"). A line's tokens
 * walk a prefix tree (first level: the token count; then up to `depth - 2` leading tokens, a token
 * holding a digit going to the placeholder child, at most `max_children` children per node) to a
 * leaf of clusters; the most similar cluster (share of equal tokens ≥ `sim_th`, ties to the one with
 * more placeholders) takes the line and turns every token that differs into the placeholder, else a
 * new cluster is made. At most `max_clusters` clusters are kept (least recently used evicted);
 * when evictions pass `max_eviction_ratio` of the lines taken, training pauses for ten minutes.
 * Lines of fewer than 4 or more than 80 tokens are skipped. Pure; the wall clock is an argument.
 */
import { PLACEHOLDER, type LineTokenizer } from './drain-tokenizers.js';
import { DrainNode } from './drain-node.js';
import { PatternSamples } from './pattern-samples.js';

/** Drain's settings (Loki's drain.Config; defaults in DRAIN_DEFAULTS). */
export interface DrainConfig {
  readonly logClusterDepth: number;
  readonly simTh: number;
  readonly maxChildren: number;
  readonly maxClusters: number;
  readonly maxEvictionRatio: number;
  readonly maxChunkAgeMs: number;
  readonly sampleIntervalMs: number;
}

/** Loki's drain.DefaultConfig(). */
export const DRAIN_DEFAULTS: DrainConfig = {
  logClusterDepth: 30, simTh: 0.3, maxChildren: 15, maxClusters: 300, maxEvictionRatio: 0.25, maxChunkAgeMs: 3_600_000, sampleIntervalMs: 10_000,
};

/** How long training pauses once the eviction ratio is passed. */
const BLOCK_MS = 10 * 60_000;
const MIN_TOKENS = 4;
const MAX_TOKENS = 80;
const NUMBER = /\p{N}/u;

/** Whether a token holds a digit (any Unicode number); such tokens never key a tree node. */
function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
    if (c >= 0x80) return NUMBER.test(token);
  }
  return false;
}

/** One detected pattern: its template tokens and the lines it took, counted over time. */
export class LogCluster {
  /** When the cluster was last used, on its Drain's use counter (least recently used is evicted first). */
  lastUsed = 0;

  constructor(
    readonly id: number,
    public tokens: string[],
    readonly spacesAfter: readonly number[] | null,
    readonly samples: PatternSamples,
    private readonly tokenizer: LineTokenizer,
  ) {}

  /** The template as Loki prints it (placeholder runs collapsed). */
  pattern(): string {
    return this.tokenizer.join(this.tokens, this.spacesAfter);
  }
}

/** Why a line was not taken, for Loki's `lines_skipped` reasons. */
export type SkipReason = 'too_few_tokens' | 'too_many_tokens' | 'line_too_long' | 'throttled';

/** One Drain instance (Loki keeps one per stream and detected level). */
export class Drain {
  /** The tree's first level: a node per token count. */
  private readonly byCount: Array<DrainNode | undefined> = [];
  /** Clusters by id. */
  private readonly clusters = new Map<number, LogCluster>();
  private nextId = 0;
  /** The use counter that orders clusters from least to most recently used. */
  private uses = 0;
  private added = 0;
  private evicted = 0;
  private blockedUntilMs = 0;

  constructor(
    private readonly cfg: DrainConfig,
    private readonly tokenizer: LineTokenizer,
  ) {}

  /** Clusters held now. */
  get size(): number {
    return this.clusters.size;
  }

  /** Every cluster, least recently used first. */
  all(): LogCluster[] {
    return [...this.clusters.values()].sort((a, b) => a.lastUsed - b.lastUsed);
  }

  /** Take one line at `tsMs`: the cluster it joined or made, or why it was skipped. */
  train(line: string, tsMs: number, nowMs: number): LogCluster | SkipReason {
    if (!this.allow(nowMs)) return 'throttled';
    const t = this.tokenizer.tokenize(line);
    if (t === null) return 'line_too_long';
    if (t.tokens.length < MIN_TOKENS) return 'too_few_tokens';
    if (t.tokens.length > MAX_TOKENS) return 'too_many_tokens';
    let cluster = this.search(t.tokens);
    if (cluster === null) {
      // The tokenizer's arrays are reused for the next line: the new cluster keeps copies.
      const samples = new PatternSamples(this.cfg.maxChunkAgeMs, this.cfg.sampleIntervalMs);
      cluster = new LogCluster(++this.nextId, t.tokens.slice(), t.spacesAfter?.slice() ?? null, samples, this.tokenizer);
      cluster.samples.add(tsMs);
      this.put(cluster);
      this.addToTree(cluster);
    } else {
      const tokens = cluster.tokens;
      for (let i = 0; i < tokens.length; i++) if (tokens[i] !== t.tokens[i]) tokens[i] = PLACEHOLDER;
      cluster.samples.add(tsMs);
      cluster.lastUsed = ++this.uses;
    }
    return cluster;
  }

  /** Remove a cluster (no samples left); not counted as an eviction. */
  delete(cluster: LogCluster): void {
    this.clusters.delete(cluster.id);
  }

  /** Drop tree branches that lead to no cluster any more. */
  pruneTree(): void {
    for (let i = 0; i < this.byCount.length; i++) {
      const n = this.byCount[i];
      if (n !== undefined && this.pruneNode(n) === 0) this.byCount[i] = undefined;
    }
  }

  private pruneNode(n: DrainNode): number {
    n.retain((child) => this.pruneNode(child) > 0);
    let live = 0;
    for (const id of n.clusterIds) if (this.clusters.has(id)) live++;
    return n.size + live;
  }

  private allow(nowMs: number): boolean {
    if (this.blockedUntilMs !== 0) {
      if (nowMs < this.blockedUntilMs) return false;
      this.added = 0;
      this.evicted = 0;
      this.blockedUntilMs = 0;
    }
    if (this.added > 0 && this.evicted / this.added > this.cfg.maxEvictionRatio) {
      this.blockedUntilMs = nowMs + BLOCK_MS;
      return false;
    }
    this.added++;
    return true;
  }

  private get(id: number): LogCluster | undefined {
    const c = this.clusters.get(id);
    if (c !== undefined) c.lastUsed = ++this.uses;
    return c;
  }

  private put(c: LogCluster): void {
    c.lastUsed = ++this.uses;
    this.clusters.set(c.id, c);
    if (this.clusters.size > this.cfg.maxClusters) {
      let oldest = c;
      for (const other of this.clusters.values()) if (other.lastUsed < oldest.lastUsed) oldest = other;
      this.clusters.delete(oldest.id);
      this.evicted++;
    }
  }

  private search(tokens: readonly string[]): LogCluster | null {
    const maxDepth = this.cfg.logClusterDepth - 2;
    const top = this.byCount[tokens.length];
    if (top === undefined) return null;
    let cur: DrainNode = top;
    const last = Math.min(maxDepth, tokens.length) - 1;
    for (let i = 0; i < last; i++) {
      // No child is keyed by a token with a digit (see descend), so such a token misses and
      // follows the placeholder child without being scanned for digits.
      const next: DrainNode | null = cur.child(tokens[i] as string) ?? cur.placeholder;
      if (next === null) return null;
      cur = next;
    }
    return this.bestMatch(cur.clusterIds, tokens);
  }

  private bestMatch(ids: readonly number[], tokens: readonly string[]): LogCluster | null {
    let best: LogCluster | null = null;
    let bestSim = -1;
    let bestParams = -1;
    for (const id of ids) {
      const c = this.get(id);
      if (c === undefined) continue;
      let same = 0;
      let params = 0;
      for (let i = 0; i < c.tokens.length; i++) {
        const t = c.tokens[i];
        if (t === PLACEHOLDER) params++;
        else if (t === tokens[i]) same++;
      }
      const sim = same / c.tokens.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        bestSim = sim;
        bestParams = params;
        best = c;
      }
    }
    return bestSim >= this.cfg.simTh ? best : null;
  }

  private addToTree(c: LogCluster): void {
    const maxDepth = this.cfg.logClusterDepth - 2;
    let cur = this.byCount[c.tokens.length];
    if (cur === undefined) this.byCount[c.tokens.length] = cur = new DrainNode();
    let depth = 1;
    for (const token of c.tokens) {
      if (depth >= maxDepth || depth >= c.tokens.length) {
        const live = cur.clusterIds.filter((id) => this.get(id) !== undefined);
        live.push(c.id);
        cur.clusterIds = live;
        return;
      }
      const hit = cur.child(token);
      if (hit !== null) cur = hit;
      else cur = this.descend(cur, token);
      depth++;
    }
  }

  /** The child a new token goes to: a new node while there is room, else the placeholder child. */
  private descend(cur: DrainNode, token: string): DrainNode {
    const param = cur.placeholder;
    const add = (key: string): DrainNode => {
      const n = new DrainNode();
      cur.add(key, n);
      return n;
    };
    if (hasDigit(token)) return param ?? add(PLACEHOLDER);
    if (param !== null) return cur.size < this.cfg.maxChildren ? add(token) : param;
    // Without a placeholder child a node holds at most max_children - 1 children, so the last
    // place left is the placeholder's.
    return cur.size + 1 < this.cfg.maxChildren ? add(token) : add(PLACEHOLDER);
  }
}
