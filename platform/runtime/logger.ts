/** The one logger implementation: JSON lines through pino. Fields: msg, err, tenant, partition, offset, duration_ms. */
import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../logger.js';

/** A JSON-line logger at `level`, writing to stderr unless a destination is given. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
