/** Building kafkajs clients from Fjord's settings, with kafkajs's log routed into Fjord's logger. */
import kafkajs, { type Kafka as KafkaClient, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger.js';
import { correctKafkajsIdleTimers } from './kafkajs-idle-timers.js';

const { Kafka, logLevel } = kafkajs;

/** Connection settings shared by every kafkajs client of a process. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly dialTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly sasl: { readonly username: string; readonly password: string } | null;
}

function kafkajsLogger(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, ...fields } = log as unknown as { message: string } & Record<string, unknown>;
      delete fields.timestamp;
      delete fields.logger;
      if (level <= logLevel.WARN) logger.warn(fields, `kafka: ${message}`);
      else logger.debug(fields, `kafka: ${message}`);
    };
}

/** A kafkajs client whose client id is `clientId` (ingesters put their HTTP address there). */
export function createKafkaClient(conn: KafkaConnection, clientId: string, logger: Logger): KafkaClient {
  correctKafkajsIdleTimers();
  return new Kafka({
    clientId,
    brokers: [...conn.brokers],
    connectionTimeout: conn.dialTimeoutMs,
    requestTimeout: Math.max(conn.requestTimeoutMs, 30_000),
    ...(conn.sasl ? { sasl: { mechanism: 'plain' as const, username: conn.sasl.username, password: conn.sasl.password } } : {}),
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
    logLevel: logLevel.INFO,
    logCreator: kafkajsLogger(logger.child({ component: 'kafkajs' })),
  });
}

/** Header values as kafkajs delivers them, normalised to bytes. */
export function headersToBytes(headers: Record<string, unknown> | undefined): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined || v === null) continue;
    const first = Array.isArray(v) ? v[0] : v;
    out[k] = typeof first === 'string' ? Buffer.from(first, 'utf8') : (first as Uint8Array);
  }
  return out;
}
