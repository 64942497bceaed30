import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { buildConfig } from '../../../../schemas/config/index.js';
import { limitsFromRuntimeConfig } from '../../../../schemas/config/tenant-limits.js';

const defaults = buildConfig({ file: null, flags: [] }).limits_config;

test('runtime overrides apply per tenant, others keep the defaults', () => {
  const limits = limitsFromRuntimeConfig(defaults, { overrides: { t1: { ingestion_rate_mb: 10, max_line_size: '1KB' } } });
  assert.equal(limits.forTenant('t1').ingestion_rate_mb, 10);
  assert.equal(limits.forTenant('t1').max_line_size, 1024);
  assert.equal(limits.forTenant('t1').max_label_names_per_series, defaults.max_label_names_per_series);
  assert.equal(limits.forTenant('t2'), defaults);
});

test('bad overrides name the tenant and the key', () => {
  assert.throws(
    () => limitsFromRuntimeConfig(defaults, { overrides: { t1: { max_line_size: 'huge' }, t2: { nope: 1 } } }),
    (err) =>
      err instanceof FjordError &&
      /overrides\.t1\.max_line_size: "huge" is not a byte size/.test(err.message) &&
      /overrides\.t2\.nope: unknown key/.test(err.message),
  );
});

test('an empty runtime file means no overrides', () => {
  assert.equal(limitsFromRuntimeConfig(defaults, null).forTenant('x'), defaults);
  assert.equal(limitsFromRuntimeConfig(defaults, { overrides: null }).forTenant('x'), defaults);
});
