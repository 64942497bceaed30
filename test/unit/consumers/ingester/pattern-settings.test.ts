import assert from 'node:assert/strict';
import { test } from 'node:test';
import { patternSettings, tokenizableJsonFields } from '../../../../consumers/ingester/pattern-settings.js';
import { buildConfig, limitsFromRuntimeConfig } from '../../../../schemas/config/index.js';

test('tokenizableJsonFields: Loki\'s default list when nothing is set', () => {
  const cfg = buildConfig({ file: null, flags: [] });
  assert.deepEqual(tokenizableJsonFields(cfg.limits_config), ['log', 'message', 'msg', 'msg_', '_msg', 'content']);
});

test('tokenizableJsonFields: appended fields follow the defaults, deleted ones go from both lists', () => {
  const cfg = buildConfig({
    file: { limits_config: { pattern_ingester_tokenizable_json_fields_append: ['body', 'log'], pattern_ingester_tokenizable_json_fields_delete: ['msg_', 'body2'] } },
    flags: [['limits.pattern-ingester-tokenizable-json-fields-delete', 'content,msg_']],
  });
  assert.deepEqual(tokenizableJsonFields(cfg.limits_config), ['log', 'message', 'msg', '_msg', 'body']);
});

test('patternSettings: a tenant override of the JSON fields reaches that tenant\'s Drain only', () => {
  const cfg = buildConfig({ file: null, flags: [] });
  const limits = limitsFromRuntimeConfig(cfg.limits_config, { overrides: { acme: { pattern_ingester_tokenizable_json_fields_default: ['text'] } } });
  assert.deepEqual(patternSettings(cfg.pattern_ingester, limits.forTenant('acme')).jsonFields, ['text']);
  assert.deepEqual(patternSettings(cfg.pattern_ingester, limits.forTenant('other')).jsonFields.slice(0, 2), ['log', 'message']);
});
