import mqtt, { type MqttClient } from 'mqtt';
import { telemetryTopic } from '../../src/contracts';

/** Numeric tags of the demo tank farm (bjpc/tf01) whose limits the steady values never cross. */
export const STEADY_TAGS = ['TIA-101', 'TIA-102', 'TIA-103', 'PIA-101', 'PIA-102', 'PIA-103', 'PIA-104'];

/**
 * A gateway publishing at a steady rate at QoS 1, every message one point per tag at its own millisecond, so that
 * each stored sample (tag, time) identifies exactly one published point: counts prove "exactly once".
 */
export class SteadyPublisher {
  /** Messages the broker acknowledged (PUBACK). */
  acked = 0;
  sent = 0;
  readonly t0Ms: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly pending = new Set<Promise<unknown>>();
  private failures: string[] = [];

  private constructor(
    private readonly client: MqttClient,
    private readonly ratePerS: number,
  ) {
    // Whole seconds in the past: timestamps never collide with another run nor look like clock faults.
    this.t0Ms = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  }

  static async connect(url: string, ratePerS: number): Promise<SteadyPublisher> {
    const client = await mqtt.connectAsync(url, {
      clientId: `steady-${process.pid}-${Date.now()}`,
      reconnectPeriod: 500,
    });
    return new SteadyPublisher(client, ratePerS);
  }

  /** Timestamp of message `i`. */
  tsOf(i: number): number {
    return this.t0Ms + i;
  }

  /** Value of every point of message `i`: inside all limits of STEADY_TAGS. */
  valueOf(i: number): number {
    return (i % 100) / 100;
  }

  get pointsAcked(): number {
    return this.acked * STEADY_TAGS.length;
  }

  start(): void {
    const everyMs = 1000 / this.ratePerS;
    const startMs = Date.now();
    this.timer = setInterval(() => {
      // Catch up with the wall clock so that the rate holds even when timers run late.
      const due = Math.floor((Date.now() - startMs) / everyMs);
      while (this.sent < due) this.publishOne(this.sent++);
    }, 20);
  }

  private publishOne(i: number): void {
    const ts = this.tsOf(i);
    const v = this.valueOf(i);
    const payload = JSON.stringify({ ts, seq: i, points: STEADY_TAGS.map((tag) => ({ tag, v })) });
    const p = this.client
      .publishAsync(telemetryTopic('bjpc', 'tf01'), payload, { qos: 1 })
      .then(() => {
        this.acked++;
      })
      .catch((err: Error) => {
        this.failures.push(err.message);
      })
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Stops publishing and waits for every PUBACK; fails if the broker refused any message. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const deadline = Date.now() + 30_000;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await this.client.endAsync();
    if (this.failures.length > 0) throw new Error(`publishing failed: ${this.failures.slice(0, 3).join('; ')}`);
    if (this.acked !== this.sent)
      throw new Error(`${this.sent - this.acked} of ${this.sent} messages never acknowledged`);
  }
}
