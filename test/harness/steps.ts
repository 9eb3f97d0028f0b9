import type { Locator } from 'playwright-core';

/** Runs named steps and remembers how long each took; a failure or a hang names the step (slow CI machines). */
export class StepLog {
  private readonly done: string[] = [];
  constructor(private readonly label: string) {}

  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const startMs = Date.now();
    process.stderr.write(`[${this.label}] ${name} …\n`);
    try {
      const result = await fn();
      this.done.push(`${name} ${Date.now() - startMs} ms`);
      return result;
    } catch (err) {
      throw new Error(
        `step "${name}" failed after ${Date.now() - startMs} ms (done: ${this.summary()}): ${(err as Error).message}`,
      );
    }
  }

  summary(): string {
    return this.done.join(', ') || 'nothing';
  }
}

/** Waits until the first element of `locator` contains `text`; fails with the last text seen. */
export async function expectText(locator: Locator, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last =
      (await locator
        .first()
        .textContent()
        .catch(() => null)) ?? '';
    if (last.includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected "${text}" in ${locator.toString()}, last text "${last}"`);
}
