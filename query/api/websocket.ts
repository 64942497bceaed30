/**
 * The server side of a WebSocket (RFC 6455) over a raw socket handed over by Node's `upgrade`
 * event: the opening handshake, text frames out, pings, pongs to the client's pings, and the
 * closing handshake. Fjord has no websocket dependency; this is what `/loki/api/v1/tail` needs.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODE, FrameDecoder, OPCODE, WsProtocolError, acceptKey, closePayload, encodeFrame } from './websocket-frames.js';

/** Answer an upgrade request with a plain HTTP error and close the socket. */
export function rejectUpgrade(socket: Duplex, status: number, body: string): void {
  const reason = status === 400 ? 'Bad Request' : status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : status === 429 ? 'Too Many Requests' : 'Error';
  const bytes = Buffer.from(body, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
      `Content-Length: ${bytes.length}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** An accepted server-side WebSocket connection. */
export class WebSocketConnection {
  private readonly decoder = new FrameDecoder(true);
  private closed = false;
  private closeSent = false;
  private readonly closedWaiters: Array<(code: number) => void> = [];
  private closeCode = 1006;
  /** Called with each text message from the client. */
  onText: (text: string) => void = () => {};

  constructor(private readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => socket.end());
    socket.on('close', () => this.finish(this.closeCode));
    socket.on('error', () => this.finish(1006));
  }

  /** True once the connection is closing or closed. */
  get isClosed(): boolean {
    return this.closed || this.closeSent;
  }

  /** Send a text message; false when the connection is already closing. */
  sendText(text: string): boolean {
    if (this.isClosed) return false;
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text, 'utf8')));
    return true;
  }

  /** Send a ping. */
  ping(): void {
    if (!this.isClosed) this.socket.write(encodeFrame(OPCODE.ping, Buffer.alloc(0)));
  }

  /** Start the closing handshake; the socket ends when the client answers or after 1 s. */
  close(code: number = CLOSE_CODE.normal, reason = ''): void {
    if (this.closeSent || this.closed) return;
    this.closeSent = true;
    this.closeCode = code;
    this.socket.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Resolves with the close code once the connection is closed (by either side). */
  whenClosed(): Promise<number> {
    if (this.closed) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  /** Handle bytes received from the client (also the `head` left over from the upgrade). */
  receive(chunk: Buffer): void {
    let messages;
    try {
      messages = this.decoder.push(chunk);
    } catch (err) {
      this.close(err instanceof WsProtocolError ? err.closeCode : CLOSE_CODE.protocolError, (err as Error).message);
      return;
    }
    for (const m of messages) {
      switch (m.kind) {
        case 'text': this.onText(m.text); break;
        case 'binary': break;
        case 'ping':
          if (!this.isClosed) this.socket.write(encodeFrame(OPCODE.pong, m.data));
          break;
        case 'pong': break;
        case 'close':
          if (!this.closeSent) {
            this.closeSent = true;
            this.closeCode = m.code;
            this.socket.write(encodeFrame(OPCODE.close, closePayload(m.code === 1005 ? CLOSE_CODE.normal : m.code, '')));
          }
          this.socket.end();
          break;
      }
    }
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = this.closeSent ? this.closeCode : code;
    for (const w of this.closedWaiters.splice(0)) w(this.closeCode);
  }
}

/**
 * Complete the opening handshake of `req` on `socket`; returns the connection, or null after
 * answering 400 when the request is not a valid WebSocket upgrade.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): WebSocketConnection | null {
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (req.method !== 'GET' || upgrade !== 'websocket' || typeof key !== 'string' || key === '') {
    rejectUpgrade(socket, 400, 'websocket: the client is not using the websocket protocol\n');
    return null;
  }
  if (version !== '13') {
    rejectUpgrade(socket, 400, 'websocket: unsupported version: 13 not found in \'Sec-Websocket-Version\' header\n');
    return null;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') (socket as { setNoDelay(v: boolean): void }).setNoDelay(true);
  const conn = new WebSocketConnection(socket);
  if (head.length > 0) conn.receive(head);
  return conn;
}
