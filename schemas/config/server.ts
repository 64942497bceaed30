/** `server:` — the HTTP server and logging (Loki's names and defaults). */
import type { SectionSpec } from './field.js';

export const serverSection = {
  fields: [
    { key: 'http_listen_address', flag: 'server.http-listen-address', kind: 'string', default: '',
      help: 'HTTP server listen address; empty listens on all interfaces.' },
    { key: 'http_listen_port', flag: 'server.http-listen-port', kind: 'int', default: 3100, min: 0,
      help: 'HTTP server listen port; 0 picks a free port.' },
    { key: 'graceful_shutdown_timeout', flag: 'server.graceful-shutdown-timeout', kind: 'duration', default: '30s',
      help: 'How long to wait for modules to stop on SIGTERM before exiting anyway.' },
    { key: 'http_server_read_timeout', flag: 'server.http-read-timeout', kind: 'duration', default: '30s',
      help: 'Read timeout for an entire HTTP request, including the body.' },
    { key: 'log_level', flag: 'log.level', kind: 'enum', values: ['debug', 'info', 'warn', 'error'], default: 'info',
      help: 'Only log messages with the given severity or above.' },
  ],
} as const satisfies SectionSpec;
