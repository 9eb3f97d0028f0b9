import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publishPoints } from '@hazard/simulators';
import { nowMs, watchAppearance } from '../harness/appearance';
import { builtWebDist, launchChromium, type TestBrowser } from '../harness/browser';
import { StepLog, expectText } from '../harness/steps';
import { freePort } from '../harness/services';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../../server/test/medium/helpers';

const WEB_DIST = resolve(__dirname, '../../web/dist');
const SHOTS = resolve(__dirname, '../../.tmp/test-results');

describe('wall page in a real headless Chromium', () => {
  let server: TestServer;
  let chrome: TestBrowser;

  beforeAll(async () => {
    builtWebDist();
    server = await startTestServer({ WEB_DIST, REALTIME_TELEMETRY_MS: '250' });
    chrome = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.stop();
  }, 30_000);

  it('sends a visitor without a token to the login form, and a duty officer who logs in to the wall', async () => {
    const steps = new StepLog('wall e2e');
    const page = await steps.run('open a page', () => chrome.newPage({ width: 1920, height: 1080 }));
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await steps.run('be sent to the login form', async () => {
      await page.goto(`${server.httpUrl}/`, { waitUntil: 'domcontentloaded', timeout: 30_000 });
      await page.locator('[data-testid="login-form"]').waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).pathname).toBe('/login');
    });
    await steps.run('see a wrong password refused', async () => {
      await page.fill('input[name="username"]', 'operator');
      await page.fill('input[name="password"]', 'not-the-password');
      await page.click('button[type="submit"]');
      await expectText(page.locator('[data-testid="login-error"]'), '用户名或密码错误');
    });
    await steps.run('log in and see the wall as operator', async () => {
      await page.fill('input[name="password"]', TEST_PASSWORD);
      await page.click('button[type="submit"]');
      await page.locator('[data-testid="alarm-list"]').waitFor({ timeout: 30_000 });
      await expectText(page.locator('[data-testid="current-user"]'), 'operator');
      // The socket.io handshake took the login token: the badge leaves "offline".
      await page.locator('[data-testid="connection-status"]:not([data-state="offline"])').waitFor({ timeout: 20_000 });
    });
    expect(consoleErrors).toEqual([]);
    await page.close();
    process.stderr.write(`[wall e2e] ${steps.summary()}\n`);
  }, 120_000);

  it('shows live values, then the HIHI alarm the simulator publishes, then that its data is no longer live', async () => {
    // Each step is named and timed: when a slow machine runs out of time, the failure says which step stalled.
    const steps = new StepLog('wall e2e');
    const page = await steps.run('open a page', () => chrome.newPage({ width: 1920, height: 1080 }));
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await steps.run('load the wall in kiosk mode with a viewer token', async () => {
      await page.goto(`${server.httpUrl}/?kiosk&token=${server.tokens.viewer}`, {
        waitUntil: 'domcontentloaded',
        timeout: 30_000,
      });
      await page.locator('[data-testid="alarm-list"]').waitFor({ timeout: 30_000 });
      // The token is kept in storage, not left in the address bar.
      expect(page.url()).not.toContain('token=');
    });

    await steps.run('publish normal values', () =>
      publishPoints(server.mqttUrl, 'bjpc', 'tf01', [
        { tag: 'LIA-101', v: 8.2 },
        { tag: 'TIA-101', v: 23.4 },
        { tag: 'PIA-101', v: 0.6 },
        { tag: 'XV-101', v: 'open' },
      ]),
    );
    await steps.run('see them live', async () => {
      await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 20_000 });
      await expectText(page.locator('[data-testid="tag-value"][data-tag="TIA-101"]').first(), '23.4');
      expect(await page.locator('[data-testid="alarm-row"]').count()).toBe(0);
    });

    const rowSelector = '[data-testid="alarm-row"][data-tag="LIA-101"][data-level="HH"]';
    const appearance = await watchAppearance(page, rowSelector);
    // From just before the publish (its MQTT connect included): the page has long been loaded and live.
    const publishedAtMs = nowMs();
    await steps.run('publish LIA-101 above HH', () =>
      publishPoints(server.mqttUrl, 'bjpc', 'tf01', [{ tag: 'LIA-101', v: 14.7 }]),
    );
    await steps.run('see the HH alarm within one second of the publish, unacknowledged', async () => {
      const { domAtMs, frameAtMs } = await appearance.appeared(20_000);
      const shownMs = frameAtMs - publishedAtMs;
      process.stderr.write(
        `[wall e2e] LIA-101 HH alarm row painted ${shownMs.toFixed(0)} ms after the publish ` +
          `(in the DOM at ${(domAtMs - publishedAtMs).toFixed(0)} ms)\n`,
      );
      // The bound: an alarm published over MQTT appears on the wall within one second.
      expect(shownMs).toBeLessThanOrEqual(1000);
      const row = page.locator(rowSelector);
      expect(await row.getAttribute('data-state')).toBe('unacked');
      await expectText(page.locator('[data-testid="active-alarm-count"]'), '1');
      await page.screenshot({ path: join(SHOTS, 'wall-alarm.png') });
    });
    await steps.run(
      'see the unacknowledged row flash, lit and dark in turn with the screen’s flash clock',
      async () => {
        // Sampled every 150 ms for 1.5 s: the flash (1 Hz, half lit) must show both looks, each with its phase.
        const looks = new Map<string, string>();
        for (let i = 0; i < 10; i++) {
          // A string: the specs are compiled without the DOM library.
          const { phase, background } = (await page.evaluate(`({
          phase: document.documentElement.dataset.blink ?? '',
          background: getComputedStyle(document.querySelector(${JSON.stringify(rowSelector)})).backgroundColor,
        })`)) as { phase: string; background: string };
          looks.set(phase, background);
          await new Promise((r) => setTimeout(r, 150));
        }
        expect([...looks.keys()].sort()).toEqual(['off', 'on']);
        expect(looks.get('on')).not.toBe(looks.get('off'));
      },
    );

    // The server goes away: the page must say so instead of showing the last values as live.
    await steps.run('stop the server', () => server.stop());
    await steps.run('see the page offline', async () => {
      await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SHOTS, 'wall-offline.png') });
    });
    expect(consoleErrors).toEqual([]);
    await page.close();
    process.stderr.write(`[wall e2e] ${steps.summary()}\n`);
  }, 240_000);

  it('says it is not live while the server restarts, then reconnects, resyncs and shows the same alarms', async () => {
    const steps = new StepLog('wall e2e');
    // The same port, broker port and data directory across the restart: what an operator's restart keeps.
    const dataDir = mkdtempSync(join(tmpdir(), 'hazard-e2e-restart-'));
    const env = {
      WEB_DIST,
      REALTIME_TELEMETRY_MS: '250',
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      DATA_DIR: dataDir,
    };
    let first: TestServer | undefined = await startTestServer(env);
    let second: TestServer | undefined;
    const page = await chrome.newPage({ width: 1920, height: 1080 });
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    try {
      await steps.run('open the kiosk wall', async () => {
        await page.goto(`${first!.httpUrl}/?kiosk&token=${first!.tokens.viewer}`, {
          waitUntil: 'domcontentloaded',
          timeout: 30_000,
        });
        await page.locator('[data-testid="alarm-list"]').waitFor({ timeout: 30_000 });
      });
      await steps.run('raise LIA-101 HH and see it', async () => {
        await publishPoints(first!.mqttUrl, 'bjpc', 'tf01', [
          { tag: 'TIA-101', v: 23.4 },
          { tag: 'LIA-101', v: 14.7 },
        ]);
        await page
          .locator('[data-testid="alarm-row"][data-tag="LIA-101"][data-level="HH"]')
          .waitFor({ timeout: 20_000 });
      });
      await steps.run('stop the server and see the wall say it is not live', async () => {
        await first!.stop();
        first = undefined;
        await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 20_000 });
      });
      await steps.run('start it again on the same port and data', async () => {
        second = await startTestServer(env);
      });
      await steps.run('see the wall reconnect by itself and show the same alarm, still unacknowledged', async () => {
        await page
          .locator('[data-testid="connection-status"]:not([data-state="offline"])')
          .waitFor({ timeout: 30_000 });
        const row = page.locator('[data-testid="alarm-row"][data-tag="LIA-101"][data-level="HH"]');
        await row.waitFor({ timeout: 20_000 });
        expect(await row.getAttribute('data-state')).toBe('unacked');
        await expectText(page.locator('[data-testid="active-alarm-count"]'), '1');
      });
      await steps.run('see fresh values live again', async () => {
        await publishPoints(second!.mqttUrl, 'bjpc', 'tf01', [{ tag: 'TIA-101', v: 24.1 }]);
        await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 20_000 });
        await expectText(page.locator('[data-testid="tag-value"][data-tag="TIA-101"]').first(), '24.1');
      });
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
      await first?.stop();
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      process.stderr.write(`[wall e2e] ${steps.summary()}\n`);
    }
  }, 240_000);
});
