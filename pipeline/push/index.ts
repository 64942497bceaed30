export { registerPushRoutes } from './routes.js';
export * from './otlp-model.js';
export * from './otlp-protobuf.js';
export * from './otlp-json.js';
export * from './otlp-attributes.js';
export * from './otlp-to-push.js';
