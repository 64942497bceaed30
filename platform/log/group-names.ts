/**
 * Names of Fjord's consumer groups, from `kafka_config.consumer_group` (the prefix, `fjord` by
 * default): ingesters of a zone join `<prefix>-ingester-<zone>`, compactors `<prefix>-compactor`.
 * Queriers find the ingester zones by the `<prefix>-ingester-` prefix. Pure.
 */

/** The consumer group of the ingesters of `zone`. */
export function ingesterGroup(prefix: string, zone: string): string {
  return `${ingesterGroupPrefix(prefix)}${zone}`;
}

/** What every ingester group id starts with. */
export function ingesterGroupPrefix(prefix: string): string {
  return `${prefix}-ingester-`;
}

/** The consumer group of the compactors. */
export function compactorGroup(prefix: string): string {
  return `${prefix}-compactor`;
}
