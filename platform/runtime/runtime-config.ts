/**
 * The runtime config service: per-tenant limit overrides read from `runtime_config.file` at start
 * and every `runtime_config.period`, as Loki's runtime_config. A bad file at start stops start-up;
 * a bad file later is logged and the last good overrides stay in force.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { FjordConfig, LimitsConfig } from '../../schemas/config/index.js';
import { limitsFromRuntimeConfig, TenantLimits, type Limits } from '../../schemas/config/tenant-limits.js';
import type { Logger } from '../logger.js';
import type { Service } from './service.js';

/** Reloads tenant overrides and serves the current limits. */
export class RuntimeConfig implements Service, Limits {
  readonly name = 'runtime-config';
  private current: TenantLimits;
  private timer: NodeJS.Timeout | null = null;
  private lastText: string | null = null;

  constructor(
    private readonly cfg: FjordConfig['runtime_config'],
    private readonly defaults: LimitsConfig,
    private readonly logger: Logger,
  ) {
    this.current = new TenantLimits(defaults);
  }

  forTenant(tenant: string): LimitsConfig {
    return this.current.forTenant(tenant);
  }

  async start(): Promise<void> {
    if (this.cfg.file === '') return;
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((err: unknown) =>
        this.logger.error({ file: this.cfg.file, err: errorMessage(err) }, 'runtime config not reloaded; keeping the previous overrides'),
      );
    }, this.cfg.period);
    this.timer.unref();
  }

  private async reload(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.cfg.file, 'utf8');
    } catch (err) {
      throw new FjordError('invalid_config', `runtime_config.file: cannot read ${this.cfg.file}: ${errorMessage(err)}`, { cause: err });
    }
    if (text === this.lastText) return;
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch (err) {
      throw new FjordError('invalid_config', `${this.cfg.file}: not valid YAML: ${errorMessage(err).split('\n')[0]}`, { cause: err });
    }
    this.current = limitsFromRuntimeConfig(this.defaults, parsed);
    this.lastText = text;
    this.logger.info({ file: this.cfg.file }, 'runtime config loaded');
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
