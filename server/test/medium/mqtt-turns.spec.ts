import mqtt from 'mqtt';
import { performance } from 'node:perf_hooks';
import { requireService } from '../../../test/harness/env';
import { MqttClient } from '../../src/ingest/mqtt.client';

/**
 * The ingest's MQTT client against a real Mosquitto: the PUBACKs of a turn of messages leave only after `beforeAck`
 * (the spool's batched writes, DESIGN.md §5), and a long run of messages gives the event loop a turn every `sliceMs`.
 */
describe('MQTT client: turns of messages', () => {
  const url = requireService('mqttUrl');
  const topic = `hazard/v1/turns-${process.pid}/t1/telemetry`;
  const busy = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  async function run(sliceMs: number, messages: number, busyMs: number) {
    const events: { kind: 'message' | 'beforeAck' | 'socketWrite'; turn: number; atMs: number }[] = [];
    // A turn counter the event loop advances: messages handled with the same count ran without the loop in between.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const sut = new MqttClient(
      { url, clientId: `turns-${process.pid}-${sliceMs}`, subscriptions: [topic], sliceMs },
      {
        message: () => {
          events.push({ kind: 'message', turn, atMs: performance.now() });
          busy(busyMs);
        },
        beforeAck: () => events.push({ kind: 'beforeAck', turn, atMs: performance.now() }),
        connected: () => undefined,
        disconnected: () => undefined,
      },
    );
    await sut.connect();
    // Every write that reaches the socket (PUBACKs among them), seen below the cork.
    const socket = (sut as unknown as { client: { stream: Record<string, unknown> } }).client.stream;
    for (const name of ['_write', '_writev'] as const) {
      const original = socket[name] as (...args: unknown[]) => unknown;
      socket[name] = function (this: unknown, ...args: unknown[]) {
        events.push({ kind: 'socketWrite', turn, atMs: performance.now() });
        return original.apply(this, args);
      };
    }
    const publisher = await mqtt.connectAsync(url, { clientId: `turns-pub-${process.pid}-${sliceMs}` });
    try {
      await Promise.all(
        Array.from({ length: messages }, (_, i) => publisher.publishAsync(topic, `{"i":${i}}`, { qos: 1 })),
      );
      // The broker acknowledged the publisher; the subscriber may still be handling them.
      const deadline = Date.now() + 15_000;
      while (events.filter((e) => e.kind === 'message').length < messages && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await publisher.endAsync();
      await sut.end();
      ticking = false;
    }
    return events;
  }

  it('sends no PUBACK of a turn before its beforeAck ran', async () => {
    const events = await run(0, 200, 0);
    expect(events.filter((e) => e.kind === 'message')).toHaveLength(200);
    const acks = events.filter((e) => e.kind === 'beforeAck');
    // Batched: fewer beforeAck calls than messages.
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.length).toBeLessThan(200);
    // Each turn that handled messages: its first socket write comes after its beforeAck.
    const problems: string[] = [];
    let pendingSince: number | undefined;
    for (const e of events) {
      if (e.kind === 'message') pendingSince ??= e.atMs;
      else if (e.kind === 'beforeAck') pendingSince = undefined;
      else if (pendingSince !== undefined)
        problems.push(`a socket write ${(e.atMs - pendingSince).toFixed(2)} ms into a turn`);
    }
    expect(problems).toEqual([]);
  });

  it('lets the event loop run between the messages of one read after sliceMs', async () => {
    const events = await run(4, 60, 1);
    const messages = events.filter((e) => e.kind === 'message');
    expect(messages).toHaveLength(60);
    let longest = 0;
    let streak = 0;
    for (let i = 0; i < messages.length; i++) {
      streak = i > 0 && messages[i]!.turn === messages[i - 1]!.turn ? streak + 1 : 1;
      longest = Math.max(longest, streak);
    }
    // 1 ms a message and a 4 ms slice: about 5 in a row; without slicing a read of 20 or more goes in one run.
    expect(longest).toBeLessThanOrEqual(7);
  });
});
