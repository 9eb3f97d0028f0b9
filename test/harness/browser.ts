import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBinary } from './services';

/** Flags for Debian's Chromium on a closed network, as root, headless (see the env skill's node.md). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * Run every Chromium process at this nice value (through `nice`, so that the threads and the processes it forks
   * inherit it). The benchmarks use it to keep the browser, which stands in for a display PC of its own, from
   * taking the CPU of the server under test on a 2-core machine.
   */
  niceness?: number;
}

/** Launches the system Chromium (installed with apt-get when missing) with a fresh profile directory. */
export async function launchChromium(opts: LaunchOptions = {}): Promise<TestBrowser> {
  const chromiumBin = ensureBinary('chromium');
  const profile = mkdtempSync(join(tmpdir(), 'hazard-chromium-'));
  let executablePath = chromiumBin;
  if (opts.niceness !== undefined && opts.niceness !== 0) {
    executablePath = join(profile, 'chromium-nice');
    writeFileSync(executablePath, `#!/bin/sh\nexec nice -n ${Math.trunc(opts.niceness)} ${chromiumBin} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  // A persistent context is how playwright takes an explicit, fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1920, height: 1080 },
  });
  return {
    context,
    newPage: async (viewport) => {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The built web app the server serves in browser tests; fails naming the fix when it was not built. */
export function builtWebDist(): string {
  const dist = resolve(__dirname, '../../web/dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`web app not built (${dist}/index.html missing): run the test command, or 'pnpm build' first`);
  }
  return dist;
}
