export { loadCodecs, type LoadCodecsOptions, type ZstdImplementation } from './load-codecs.js';
export { loadZstdNative } from './zstd-native.js';
export { loadZstdWasm } from './zstd-wasm.js';
export { gzipCodec } from './gzip.js';
export { SNAPPY_OUTPUT, snappyCodec } from './snappy.js';
export { noneCodec } from './none.js';
export { installNativeCrc32c } from './crc32c-native.js';
export { Lz4TooLarge, decodeLz4Frames } from './lz4-frame.js';
