/** The ingester module: the service, its LevelDB index, its dead-letter log, and its routes. */
import { join } from 'node:path';
import type { CodecSet } from '../../schemas/index.js';
import { createPartitionLog, type ModuleFactory } from '../../platform/index.js';
import { IndexWriter } from './index-writer.js';
import { LevelIndexTable } from './index-table.js';
import { Ingester } from './ingester.js';
import { ingesterMetrics } from './metrics.js';
import { registerIngesterRoutes } from './routes.js';

/** Build the ingester module. */
export function ingesterModule(codecs: CodecSet): ModuleFactory {
  return (ctx) => {
    const cfg = ctx.config;
    const logger = ctx.logger.child({ component: 'ingester' });
    const address = () => `http://${cfg.common.instance_addr || '127.0.0.1'}:${ctx.server.port()}`;
    const dir = cfg.storage_config.index_shipper.active_index_directory || join(cfg.common.path_prefix, 'index');
    const writerId = `${cfg.ingester.availability_zone}-${(cfg.common.instance_addr || '127.0.0.1').replace(/[^A-Za-z0-9_.-]/g, '_')}-${cfg.server.http_listen_port}`;
    const store = ctx.objectStore();
    const dlqTopic = cfg.kafka_config.dead_letter_topic;
    const deadLetters = dlqTopic === '' ? null : createPartitionLog({ ...cfg, kafka_config: { ...cfg.kafka_config, topic: dlqTopic, embedded: { ...cfg.kafka_config.embedded, partitions: 1 }, auto_create_topic_default_partitions: 1 } }, logger);
    const ingester = new Ingester({
      config: cfg,
      log: ctx.partitionLog(),
      deadLetters,
      store,
      codecs,
      limits: ctx.runtimeConfig(),
      index: new IndexWriter(new LevelIndexTable(dir), store, writerId),
      metrics: ingesterMetrics(ctx.registry),
      logger,
      advertiseAddress: address,
    });
    ctx.status.sections.ingester = () => ingester.statusReport(ctx.clock.now());
    registerIngesterRoutes(ctx.server.app, ingester, () => ctx.requestStop());
    return ingester;
  };
}
