/** `ui:` — Fjord's browser UI: the log explorer at `/` and the cluster status page at `/status` (Loki's `ui.enabled`, on by default here). */
import type { SectionSpec } from './field.js';

export const uiSection = {
  fields: [
    { key: 'enabled', flag: 'ui.enabled', kind: 'bool', default: true,
      help: 'Serve the browser UI: the log explorer at / (on targets that serve queries) and the status page at /status.' },
  ],
} as const satisfies SectionSpec;
