import mqtt from 'mqtt';
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { AlarmState } from '@hazard/server/contracts';
import { AlarmService } from '../../server/src/alarms/alarm.service';
import type { TestServer } from '../../server/test/medium/helpers';
import { launchChromium, type TestBrowser } from '../harness/browser';
import type { DomLatencyRun } from './report';
import { quantile } from './stats';

const nowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface DomLatencyOptions {
  tag: string;
  topic: string;
  lowValue: number;
  highValue: number;
  transitions: number;
  gapMs: number;
  /** Longest wait for a raise to show (a longer one fails the run). */
  timeoutMs: number;
  /** Longest wait for the untimed return and acknowledgement between raises. */
  resetTimeoutMs: number;
}

/**
 * Page-side script (a string: the bench is compiled without the DOM library). It reports each change of "a row of the
 * tag in state `unacked` is in the list", at once from the observer's callback (right after Vue's patch).
 */
function observerScript(tag: string): string {
  return `(() => {
  const selector = '[data-testid="alarm-row"][data-tag=' + JSON.stringify(${JSON.stringify(tag)}) + '][data-state="unacked"]';
  let present = document.querySelector(selector) !== null;
  new MutationObserver(() => {
    const now = document.querySelector(selector) !== null;
    if (now === present) return;
    present = now;
    window.__benchRow(now, performance.timeOrigin + performance.now());
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})()`;
}

/** Row appearances and disappearances, timed in the page: `performance.timeOrigin + performance.now()` (epoch ms). */
interface RowEvent {
  present: boolean;
  atMs: number;
}

/**
 * The wall page of `server` in headless Chromium (kiosk token), with a MutationObserver that reports, through an
 * exposed binding, the page-clock time at which the alarm row of `tag` appears (state `unacked`) or goes away. The
 * time is taken in the page, so the binding's own delay does not count.
 */
export class WallUnderTest {
  private waiter: ((e: RowEvent) => void) | undefined;
  /** Browser clock minus ours (ms), from the tightest of several round trips; subtracted from page times. */
  clockOffsetMs = 0;

  private constructor(
    private readonly chrome: TestBrowser,
    readonly page: Page,
  ) {}

  static async open(server: TestServer, tag: string, niceness = 0): Promise<WallUnderTest> {
    const chrome = await launchChromium({ niceness });
    try {
      const page = await chrome.newPage({ width: 1920, height: 1080 });
      const sut = new WallUnderTest(chrome, page);
      await page.exposeBinding('__benchRow', (_source, present: boolean, atMs: number) =>
        sut.waiter?.({ present, atMs }),
      );
      await page.goto(`${server.httpUrl}/?kiosk&token=${server.tokens.viewer}`, {
        waitUntil: 'domcontentloaded',
        timeout: 30_000,
      });
      await page.locator('[data-testid="alarm-list"]').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="connection-status"]:not([data-state="offline"])').waitFor({ timeout: 30_000 });
      await page.evaluate(observerScript(tag));
      await sut.measureClockOffset();
      // BENCH_PAGE_CPU_PROFILE=FILE: a CPU profile of the page's main thread, written when the wall closes.
      if (process.env.BENCH_PAGE_CPU_PROFILE) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
        await cdp.send('Profiler.start');
        sut.stopProfile = async () => {
          const { profile } = await cdp.send('Profiler.stop');
          writeFileSync(process.env.BENCH_PAGE_CPU_PROFILE!, JSON.stringify(profile));
        };
      }
      return sut;
    } catch (err) {
      await chrome.close();
      throw err;
    }
  }

  /** Same machine, two clocks derived from the wall clock at each process's start: measure, don't assume. */
  private async measureClockOffset(): Promise<void> {
    let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
    for (let i = 0; i < 20; i++) {
      const t0 = nowMs();
      const browserMs = await this.page.evaluate(() => performance.timeOrigin + performance.now());
      const t1 = nowMs();
      if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: browserMs - (t0 + t1) / 2 };
    }
    this.clockOffsetMs = best.offset;
  }

  /** Resolves with the (our-clock) time of the next row event of that kind; rejects after `timeoutMs`. */
  next(present: boolean, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`alarm row ${present ? 'did not appear' : 'did not go'} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (e) => {
        if (e.present !== present) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(e.atMs - this.clockOffsetMs);
      };
    });
  }

  private stopProfile: (() => Promise<void>) | undefined;

  async close(): Promise<void> {
    await this.stopProfile?.();
    await this.chrome.close();
  }
}

/**
 * Alarm latency to the DOM: publish the tag above HH and time the row's appearance; then publish it back inside its
 * limits and acknowledge it as an operator (REST), so the row leaves the list (ISA-18.2: returned + acknowledged is
 * normal) and the next raise is a new row again. Only the raise is timed.
 */
export async function measureDomLatency(
  server: TestServer,
  wall: WallUnderTest,
  opts: DomLatencyOptions,
  rep: number,
  loadPointsPerS: number,
  keepGoing: () => boolean = () => true,
): Promise<DomLatencyRun> {
  const client = await mqtt.connectAsync(server.mqttUrl, {
    clientId: `bench-dom-${process.pid}-${rep}-${loadPointsPerS}`,
    reconnectPeriod: 0,
  });
  const latencies: number[] = [];
  // The server's part of each raise: publish → the alarm transition in the server (in-process listener), so that
  // a slow figure says whether the server or the socket.io + browser leg was slow.
  const serverLatencies: number[] = [];
  let raisedAtMs: number | undefined;
  const alarms = server.app.get(AlarmService);
  const onAlarm = (event: { transition: string; alarm: { tag: string } }): void => {
    if (event.alarm.tag === opts.tag && event.transition === 'raise' && raisedAtMs === undefined) raisedAtMs = nowMs();
  };
  alarms.addListener(onAlarm);
  const key = encodeURIComponent(`${opts.tag}:hi`);
  try {
    for (let i = 0; i < opts.transitions && keepGoing(); i++) {
      const appeared = wall.next(true, opts.timeoutMs);
      raisedAtMs = undefined;
      const sentAtMs = nowMs();
      client.publish(opts.topic, JSON.stringify({ ts: Date.now(), points: [{ tag: opts.tag, v: opts.highValue }] }), {
        qos: 1,
      });
      latencies.push(
        await appeared.then(
          (atMs) => atMs - sentAtMs,
          (err: Error) => explain(err, server, wall, opts.tag, i),
        ),
      );
      if (raisedAtMs !== undefined) serverLatencies.push(raisedAtMs - sentAtMs);
      const gone = wall.next(false, opts.resetTimeoutMs);
      await client.publishAsync(
        opts.topic,
        JSON.stringify({ ts: Date.now() + 1, points: [{ tag: opts.tag, v: opts.lowValue }] }),
        { qos: 1 },
      );
      // The return must be processed before the ack, or the ack would leave an active acked alarm (still a row).
      await waitForState(server, opts.tag, 'rtn_unacked', opts.resetTimeoutMs);
      const ack = await server.request(`/api/alarms/${key}/ack`, {
        method: 'POST',
        as: 'operator',
        body: JSON.stringify({ comment: 'bench' }),
      });
      if (ack.status !== 200) throw new Error(`ack of ${opts.tag} answered ${ack.status}: ${await ack.text()}`);
      await gone;
      await sleep(opts.gapMs);
    }
  } finally {
    alarms.removeListener(onAlarm);
    await client.endAsync();
  }
  return {
    rep,
    samples: latencies.length,
    loadPointsPerS,
    clockOffsetMs: wall.clockOffsetMs,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: quantile(latencies, 0.99),
    maxMs: Math.max(...latencies),
    serverP50Ms: quantile(serverLatencies, 0.5),
    serverP99Ms: quantile(serverLatencies, 0.99),
  };
}

/** A raise that did not show: says what the server and the page held then, so that a failed run tells why. */
async function explain(
  err: Error,
  server: TestServer,
  wall: WallUnderTest,
  tag: string,
  raise: number,
): Promise<never> {
  const alarm = server.app
    .get(AlarmService)
    .list('all')
    .find((a) => a.key === `${tag}:hi`);
  const page = await wall.page
    .evaluate(
      `(() => ({
      connection: document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state'),
      rows: [...document.querySelectorAll('[data-testid="alarm-row"]')].map((r) => r.getAttribute('data-tag') + ':' + r.getAttribute('data-state')).slice(0, 10),
    }))()`,
    )
    .catch((e: Error) => ({ unreadable: e.message }));
  throw new Error(
    `${err.message} (raise ${raise + 1}; server: ${alarm ? `${alarm.state}, active ${alarm.active}` : 'no such alarm'}; ` +
      `page: ${JSON.stringify(page)})`,
  );
}

/** Polls the alarm list in-process (an HTTP poll would add requests to the loop being measured). */
async function waitForState(server: TestServer, tag: string, state: AlarmState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const alarms = server.app.get(AlarmService);
  for (;;) {
    if (alarms.list('all').some((a) => a.key === `${tag}:hi` && a.state === state)) return;
    if (Date.now() > deadline) throw new Error(`${tag}:hi not ${state} within ${timeoutMs} ms`);
    await sleep(10);
  }
}
