/**
 * The label phase of a push, as Loki's `ParseLokiRequest`: each stream's label text parsed
 * (PromQL metric syntax), empty values dropped, names sorted, `service_name` discovered. A stream
 * whose labels do not parse fails the whole request (Loki answers 400 `couldn't parse labels: …`).
 * Distributors parse pushed label text with it, ingesters the label text of records (which outside
 * producers may write unsorted). Pure; a label-text cache may be passed in.
 */
import { FjordError, errorMessage } from '../errors.js';
import { formatLabels, parseLabelText, sortLabels, type Label, type Labels } from './labels.js';

/** Loki's `service_name` label and its value when nothing names the service. */
export const SERVICE_NAME = 'service_name';
export const UNKNOWN_SERVICE = 'unknown_service';
/** Loki's `maxStreamLabelsSize` (16 MiB). */
const MAX_STREAM_LABELS_BYTES = 1 << 24;

/** Parsed labels of one stream: the sorted pairs (duplicates kept for validation) and the canonical text. */
export interface StreamLabels {
  readonly labels: Labels;
  readonly text: string;
}

/**
 * Parse label text, drop empty values, sort, and add `service_name` from `discover` when missing
 * (an empty label set too: Loki files it under `service_name="unknown_service"`).
 */
export function parseStreamLabels(text: string, discover: readonly string[]): StreamLabels {
  if (text.length > MAX_STREAM_LABELS_BYTES) {
    throw new FjordError('request_too_large', `request body too large: stream labels size ${text.length} bytes exceeds limit of ${MAX_STREAM_LABELS_BYTES} bytes`);
  }
  let pairs: Label[];
  try {
    pairs = parseLabelText(text);
  } catch (err) {
    throw new FjordError('bad_request', `couldn't parse labels: ${errorMessage(err)}`, { cause: err });
  }
  let labels = sortLabels(pairs.filter((l) => l.value !== ''));
  if (discover.length > 0 && !labels.some((l) => l.name === SERVICE_NAME)) {
    let service = UNKNOWN_SERVICE;
    for (const name of discover) {
      const v = labels.find((l) => l.name === name)?.value;
      if (v) {
        service = v;
        break;
      }
    }
    labels = sortLabels([...labels, { name: SERVICE_NAME, value: service }]);
  }
  return { labels, text: formatLabels(labels) };
}

/** A small bounded cache of parsed label texts (Loki keeps one in the distributor). */
export class LabelCache {
  /** Per `discover` list (tenants may differ; keyed by its joined names), label text → parsed labels. */
  private readonly byDiscover = new Map<string, Map<string, StreamLabels>>();
  private readonly discoverKeys = new WeakMap<readonly string[], string>();
  private size = 0;
  constructor(private readonly capacity = 10_000) {}

  /** Parsed labels of `text`, from the cache or parsed now. */
  get(text: string, discover: readonly string[]): StreamLabels {
    let key = this.discoverKeys.get(discover);
    if (key === undefined) this.discoverKeys.set(discover, (key = discover.join(',')));
    let map = this.byDiscover.get(key);
    const hit = map?.get(text);
    if (hit) return hit;
    const parsed = parseStreamLabels(text, discover);
    if (this.size >= this.capacity) {
      this.byDiscover.clear();
      this.size = 0;
      map = undefined;
    }
    if (!map) this.byDiscover.set(key, (map = new Map()));
    map.set(text, parsed);
    this.size++;
    return parsed;
  }
}
