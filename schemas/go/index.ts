export * from './jsoniter-cursor.js';
export * from './jsonparser-scan.js';
