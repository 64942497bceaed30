/**
 * The header of a zstd frame (RFC 8878 §3.1.1.1), read without decompressing. The WebAssembly
 * decoder sizes its output from the declared content size, so it is checked against the block
 * table's size first; and that decoder reports an empty frame as a failure, so one is recognised here.
 */

const ZSTD_MAGIC = 0xfd2fb528;

/** What a zstd frame header says. */
export interface ZstdFrameHeader {
  /** The declared content size. */
  readonly contentSize: number;
  /** Bytes of the frame header (magic included). */
  readonly headerBytes: number;
  /** True when the frame ends with a 4-byte content checksum. */
  readonly hasChecksum: boolean;
}

/** The header of the zstd frame at the start of `data`; null when it is not a frame or declares no size. */
export function readZstdFrameHeader(data: Uint8Array): ZstdFrameHeader | null {
  if (data.length < 5) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== ZSTD_MAGIC) return null;
  const fhd = data[4] as number;
  const fcsFlag = fhd >>> 6;
  const singleSegment = (fhd & 0x20) !== 0;
  const dictIdBytes = [0, 1, 2, 4][fhd & 3] as number;
  const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (fcsBytes === 0 || data.length < at + fcsBytes) return null;
  let contentSize: number;
  switch (fcsBytes) {
    case 1:
      contentSize = data[at] as number;
      break;
    case 2:
      contentSize = view.getUint16(at, true) + 256;
      break;
    case 4:
      contentSize = view.getUint32(at, true);
      break;
    default: {
      const size = view.getBigUint64(at, true);
      contentSize = size > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(size);
    }
  }
  return { contentSize, headerBytes: at + fcsBytes, hasChecksum: (fhd & 0x04) !== 0 };
}

/** True when `data` is exactly one zstd frame of empty content: its header and one empty last raw block. */
export function isEmptyZstdFrame(data: Uint8Array, header: ZstdFrameHeader): boolean {
  const end = header.headerBytes + 3 + (header.hasChecksum ? 4 : 0);
  const at = header.headerBytes;
  return header.contentSize === 0 && data.length === end && data[at] === 0x01 && data[at + 1] === 0 && data[at + 2] === 0;
}
