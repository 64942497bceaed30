/**
 * Names of Fjord's consumer groups, from `kafka_config.consumer_group` (the prefix, `fjord` by
 * default), and of the topics they join: ingesters of a zone join `<prefix>-ingester-<zone>` on
 * the log topic, compactors `<prefix>-compactor` on `<topic>.control`, rulers `<prefix>-ruler` on
 * `<topic>.ruler`. Queriers find the ingester zones by the `<prefix>-ingester-` prefix. Pure.
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

/** The consumer group of the rulers. */
export function rulerGroup(prefix: string): string {
  return `${prefix}-ruler`;
}

/** The control topic of the compactors for a log topic: one partition, used only for leadership. */
export function controlTopic(topic: string): string {
  return `${topic}.control`;
}

/** The control topic of the rulers for a log topic. */
export function rulerTopic(topic: string): string {
  return `${topic}.ruler`;
}

/** The topic the members of `group` join: a control topic for the compactor and ruler groups, else the log topic. */
export function groupTopic(group: string, prefix: string, topic: string): string {
  if (group === compactorGroup(prefix)) return controlTopic(topic);
  if (group === rulerGroup(prefix)) return rulerTopic(topic);
  return topic;
}
