/** Live tail over Loki's WebSocket tail API (`/loki/api/v1/tail`), one frame per message. */
import { linesOfTailFrame, type LogLine } from '../shared/loki-client.js';

export interface LiveTail {
  stop(): void;
}

/** Handlers for a tail's life. */
export interface TailHandlers {
  readonly onLines: (lines: LogLine[], dropped: number) => void;
  /** The socket closed: by `stop()` (reason null) or by the server (its reason). */
  readonly onClose: (reason: string | null) => void;
  readonly onOpen: () => void;
}

/** Start tailing `query` from `startMs`, at most `limit` lines in the first frame. */
export function startTail(query: string, startMs: number, limit: number, h: TailHandlers): LiveTail {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const params = new URLSearchParams({ query, start: `${startMs}000000`, limit: String(limit) });
  const ws = new WebSocket(`${proto}//${location.host}/loki/api/v1/tail?${params.toString()}`);
  let stopped = false;
  ws.addEventListener('open', () => h.onOpen());
  ws.addEventListener('message', (e) => {
    const { lines, dropped } = linesOfTailFrame(JSON.parse(String(e.data)));
    h.onLines(lines, dropped);
  });
  ws.addEventListener('close', (e) => h.onClose(stopped ? null : e.reason || `the tail closed (code ${e.code})`));
  return {
    stop: () => {
      stopped = true;
      ws.close(1000);
    },
  };
}
