/**
 * A minimal WebSocket client for tests (Node 20 has none built in): the RFC 6455 opening
 * handshake over http.request, masked frames out, messages in through Fjord's frame decoder.
 */
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { CLOSE_CODE, FrameDecoder, OPCODE, acceptKey, closePayload, encodeFrame, type WsMessage } from '../../query/api/websocket-frames.js';

/** A connected test client. */
export class TestWebSocket {
  private readonly decoder = new FrameDecoder(false);
  private readonly queue: WsMessage[] = [];
  private readonly waiters: Array<(m: WsMessage | null) => void> = [];
  private ended = false;
  private closeSent = false;

  constructor(private readonly socket: Socket, head: Buffer) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
    if (head.length > 0) this.onData(head);
  }

  private onData(chunk: Buffer): void {
    for (const m of this.decoder.push(chunk)) {
      if (m.kind === 'ping') this.socket.write(encodeFrame(OPCODE.pong, m.data, randomBytes(4)));
      if (m.kind === 'close' && !this.closeSent) {
        this.closeSent = true;
        this.socket.end(encodeFrame(OPCODE.close, closePayload(m.code, ''), randomBytes(4)));
      }
      const w = this.waiters.shift();
      if (w) w(m);
      else this.queue.push(m);
    }
  }

  /** The next message or control frame (pings included), or null once the socket is closed. */
  next(timeoutMs = 5000): Promise<WsMessage | null> {
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no websocket message within the timeout')), timeoutMs);
      this.waiters.push((x) => {
        clearTimeout(t);
        resolve(x);
      });
    });
  }

  /** The next text message, skipping pings and pongs; null when a close frame or the end comes first. */
  async nextText(timeoutMs = 5000): Promise<string | { close: number; reason: string } | null> {
    for (;;) {
      const m = await this.next(timeoutMs);
      if (m === null) return null;
      if (m.kind === 'text') return m.text;
      if (m.kind === 'close') return { close: m.code, reason: m.reason };
    }
  }

  /** Send a text message. */
  send(text: string): void {
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text), randomBytes(4)));
  }

  /** Send a close frame. */
  close(code: number = CLOSE_CODE.normal): void {
    this.closeSent = true;
    this.socket.write(encodeFrame(OPCODE.close, closePayload(code, ''), randomBytes(4)));
  }

  /** Drop the TCP connection without a closing handshake. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** Open a WebSocket to `url` (http://…); rejects with `{status, body}` when the server refuses. */
export function connectWebSocket(url: string, headers: Record<string, string> = {}): Promise<TestWebSocket> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13', ...headers },
    });
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      if (res.headers['sec-websocket-accept'] !== acceptKey(key)) {
        socket.destroy();
        reject(new Error('bad Sec-WebSocket-Accept'));
        return;
      }
      resolve(new TestWebSocket(socket, head));
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
    });
    req.on('error', reject);
    req.end();
  });
}
