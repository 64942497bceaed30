/**
 * The logger port every component logs through (STYLE §6): structured fields first, message second,
 * as pino. The pino-backed implementation is `createLogger` in runtime/logger.ts.
 */

/** Structured logger. Fields: msg, err, tenant, partition, offset, duration_ms. */
export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

const drop = (): void => {};

/** A logger that drops everything, for tests and tools. */
export function silentLogger(): Logger {
  const logger: Logger = { debug: drop, info: drop, warn: drop, error: drop, child: () => logger };
  return logger;
}
