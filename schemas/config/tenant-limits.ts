/**
 * Per-tenant limits: `limits_config` with each tenant's overrides from the runtime config file
 * (`overrides: { <tenant>: { <limits_config key>: value } }`, as Loki's runtime_config). Pure.
 */
import { FjordError } from '../errors.js';
import { overrideSection } from './build.js';
import { limitsSection } from './limits.js';
import type { LimitsConfig } from './tree.js';

/** The limits of a tenant. */
export interface Limits {
  forTenant(tenant: string): LimitsConfig;
}

/** Limits from defaults plus a map of per-tenant overrides. */
export class TenantLimits implements Limits {
  constructor(
    private readonly defaults: LimitsConfig,
    private readonly overrides: ReadonlyMap<string, LimitsConfig> = new Map(),
  ) {}

  forTenant(tenant: string): LimitsConfig {
    return this.overrides.get(tenant) ?? this.defaults;
  }
}

/**
 * Build the per-tenant limits from the parsed runtime config file. Throws FjordError('invalid_config')
 * naming `overrides.<tenant>.<key>` for every bad value.
 */
export function limitsFromRuntimeConfig(defaults: LimitsConfig, file: unknown): TenantLimits {
  if (file === null || file === undefined) return new TenantLimits(defaults);
  if (typeof file !== 'object' || Array.isArray(file)) throw new FjordError('invalid_config', 'runtime config: expected a mapping with an `overrides` key');
  const { overrides, ...rest } = file as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new FjordError('invalid_config', `runtime config: unknown key ${unknown[0]} (known: overrides)`);
  if (overrides === undefined || overrides === null) return new TenantLimits(defaults);
  if (typeof overrides !== 'object' || Array.isArray(overrides)) throw new FjordError('invalid_config', 'overrides: expected a mapping of tenant to limits');
  const map = new Map<string, LimitsConfig>();
  const errors: string[] = [];
  for (const [tenant, raw] of Object.entries(overrides as Record<string, unknown>)) {
    try {
      map.set(tenant, overrideSection(limitsSection, defaults, raw, ['overrides', tenant]));
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length > 0) throw new FjordError('invalid_config', errors.join('\n'));
  return new TenantLimits(defaults, map);
}
