/**
 * RFC 6455 framing, both directions: the accept key of the opening handshake, frame encoding
 * (masked for clients, unmasked for servers) and an incremental frame decoder. Only what a live
 * tail needs: text, binary, close, ping and pong frames; fragmented messages are reassembled.
 * Pure (node:crypto only hashes).
 */
import { createHash } from 'node:crypto';

/** Frame opcodes. */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Close codes used here (RFC 6455 §7.4.1). */
export const CLOSE_CODE = { normal: 1000, goingAway: 1001, protocolError: 1002, tooBig: 1009, internalError: 1011 } as const;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
export function acceptKey(clientKey: string): string {
  return createHash('sha1').update(clientKey + GUID).digest('base64');
}

/** Encode one final frame; `mask` (4 bytes) is given by clients only. */
export function encodeFrame(opcode: number, payload: Uint8Array, mask?: Uint8Array): Buffer {
  const len = payload.length;
  const headerLen = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + (mask ? 4 : 0);
  const out = Buffer.alloc(headerLen + len);
  out[0] = 0x80 | (opcode & 0x0f);
  let off = 2;
  if (len < 126) out[1] = len;
  else if (len < 65536) {
    out[1] = 126;
    out.writeUInt16BE(len, 2);
    off = 4;
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(len), 2);
    off = 10;
  }
  if (mask) {
    out[1] = (out[1] as number) | 0x80;
    out.set(mask, off);
    off += 4;
    for (let i = 0; i < len; i++) out[off + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  } else {
    out.set(payload, off);
  }
  return out;
}

/** Payload of a close frame: the code, then the UTF-8 reason (at most 123 bytes). */
export function closePayload(code: number, reason: string): Buffer {
  let r = Buffer.from(reason, 'utf8');
  if (r.length > 123) r = r.subarray(0, 123);
  const out = Buffer.alloc(2 + r.length);
  out.writeUInt16BE(code, 0);
  r.copy(out, 2);
  return out;
}

/** A decoded message or control frame. */
export type WsMessage =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly data: Buffer }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string }
  | { readonly kind: 'ping'; readonly data: Buffer }
  | { readonly kind: 'pong'; readonly data: Buffer };

/** Thrown for a frame that breaks the protocol; the connection must be closed with 1002 (or 1009). */
export class WsProtocolError extends Error {
  constructor(
    message: string,
    readonly closeCode: number = CLOSE_CODE.protocolError,
  ) {
    super(message);
  }
}

/** Incremental decoder: `push` bytes, get the complete messages. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private fragmentBytes = 0;

  constructor(
    /** Frames from clients must be masked, frames from servers must not. */
    private readonly expectMasked: boolean,
    private readonly maxMessageBytes = 1 << 20,
  ) {}

  /** Add received bytes; returns the messages they complete. Throws WsProtocolError. */
  push(chunk: Uint8Array): WsMessage[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: WsMessage[] = [];
    for (;;) {
      const frame = this.nextFrame();
      if (frame === null) return out;
      const msg = this.onFrame(frame.fin, frame.opcode, frame.payload);
      if (msg !== null) out.push(msg);
    }
  }

  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | null {
    const b = this.buf;
    if (b.length < 2) return null;
    const b0 = b[0] as number;
    const b1 = b[1] as number;
    if ((b0 & 0x70) !== 0) throw new WsProtocolError('reserved bits set');
    const masked = (b1 & 0x80) !== 0;
    if (masked !== this.expectMasked) throw new WsProtocolError(masked ? 'unexpected masked frame' : 'unmasked client frame');
    let len = b1 & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return null;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(this.maxMessageBytes)) throw new WsProtocolError('frame too large', CLOSE_CODE.tooBig);
      len = Number(big);
      off = 10;
    }
    if (len > this.maxMessageBytes) throw new WsProtocolError('frame too large', CLOSE_CODE.tooBig);
    const maskOff = off;
    if (masked) off += 4;
    if (b.length < off + len) return null;
    const payload = Buffer.from(b.subarray(off, off + len));
    if (masked) for (let i = 0; i < len; i++) payload[i] = (payload[i] as number) ^ (b[maskOff + (i & 3)] as number);
    this.buf = b.subarray(off + len);
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload };
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): WsMessage | null {
    if (opcode >= 0x8) {
      if (!fin || payload.length > 125) throw new WsProtocolError('bad control frame');
      switch (opcode) {
        case OPCODE.close: {
          const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          return { kind: 'close', code, reason: payload.subarray(2).toString('utf8') };
        }
        case OPCODE.ping: return { kind: 'ping', data: payload };
        case OPCODE.pong: return { kind: 'pong', data: payload };
        default: throw new WsProtocolError(`unknown opcode ${opcode}`);
      }
    }
    if (opcode === OPCODE.continuation) {
      if (this.fragments.length === 0) throw new WsProtocolError('continuation without a start');
    } else if (opcode === OPCODE.text || opcode === OPCODE.binary) {
      if (this.fragments.length > 0) throw new WsProtocolError('new message inside a fragmented one');
      this.fragmentOpcode = opcode;
    } else {
      throw new WsProtocolError(`unknown opcode ${opcode}`);
    }
    this.fragments.push(payload);
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.maxMessageBytes) throw new WsProtocolError('message too large', CLOSE_CODE.tooBig);
    if (!fin) return null;
    const data = Buffer.concat(this.fragments);
    this.fragments = [];
    this.fragmentBytes = 0;
    return this.fragmentOpcode === OPCODE.text ? { kind: 'text', text: data.toString('utf8') } : { kind: 'binary', data };
  }
}
