/** When a kafkajs consumer counts as consuming, from its instrumentation events (a stand-in emitter, fake timers). */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mock, test } from 'node:test';
import type { Consumer } from 'kafkajs';
import { FETCH_STALL_MS, watchConsumption } from '../../../../platform/log/kafka-consumption-watch.js';
import { silentLogger } from '../../../../platform/logger.js';
import type { GroupHandler } from '../../../../platform/log/partitioned-log.js';

const EVENTS = { FETCH_START: 'fetch_start', FETCH: 'fetch', CRASH: 'crash' } as const;

function standIn(): { consumer: Consumer; emit: (event: string, nodeId?: number) => void } {
  const e = new EventEmitter();
  const consumer = {
    events: EVENTS,
    on: (event: string, listener: (ev: unknown) => void) => {
      e.on(event, listener);
      return () => e.off(event, listener);
    },
  } as unknown as Consumer;
  return { consumer, emit: (event, nodeId = 1) => e.emit(event, { payload: { nodeId, restart: true, error: new Error('gone') } }) };
}

/** A handler that records what it is told. */
function recorder(): { told: string[]; handler: GroupHandler } {
  const told: string[] = [];
  const handler = {
    onConsumptionStopped: async (why: string) => void told.push(`stopped: ${why}`),
    onConsumptionResumed: async () => void told.push('resumed'),
  } as unknown as GroupHandler;
  return { told, handler };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

test('a broker that stops answering stops consumption once; a fetch from another broker resumes it and the silent one is not reported again', async () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] });
  try {
    const { consumer, emit } = standIn();
    const { told, handler } = recorder();
    const end = watchConsumption(consumer, handler, silentLogger(), 'g');
    emit(EVENTS.FETCH_START, 1);
    mock.timers.tick(FETCH_STALL_MS + 1000);
    await settle();
    assert.equal(told.length, 1);
    assert.match(told[0] ?? '', /^stopped: broker 1 has not answered a fetch/);
    emit(EVENTS.FETCH_START, 2);
    emit(EVENTS.FETCH, 2);
    await settle();
    mock.timers.tick(3 * FETCH_STALL_MS);
    await settle();
    assert.deepEqual(told.slice(1), ['resumed']);
    end();
  } finally {
    mock.timers.reset();
  }
});

test('a second fetch start without an answer to the first stops consumption; a crash stops it; a fetch resumes it', async () => {
  const { consumer, emit } = standIn();
  const { told, handler } = recorder();
  const end = watchConsumption(consumer, handler, silentLogger(), 'g');
  emit(EVENTS.FETCH_START, 1);
  emit(EVENTS.FETCH_START, 1);
  await settle();
  emit(EVENTS.FETCH, 1);
  await settle();
  emit(EVENTS.CRASH);
  await settle();
  emit(EVENTS.FETCH_START, 1);
  emit(EVENTS.FETCH, 1);
  await settle();
  assert.deepEqual(told, ['stopped: a fetch from broker 1 failed', 'resumed', 'stopped: the consumer crashed (restarting): gone', 'resumed']);
  end();
});
