/**
 * Counts failed logins per key (username + address) in a sliding window; once a key has `maxFailures` failures
 * in the window, further attempts are refused until the oldest of them leaves it. Pure: time is a parameter.
 * Refused attempts are not counted (they never reach the password check), so the wait never grows by itself.
 */
export class LoginLimiter {
  /** Failure times per key, oldest first; Map order is insertion order, so the first key is the oldest entry. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: {
      maxFailures: number;
      windowMs: number;
      /** Bound on remembered keys: random usernames cannot grow memory without end. */
      maxKeys?: number;
    },
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.opts.maxFailures) return 0;
    return recent[recent.length - this.opts.maxFailures]! + this.opts.windowMs - nowMs;
  }

  recordFailure(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    this.failures.delete(key);
    this.failures.set(key, recent);
    this.bound(nowMs);
  }

  /** Takes back one failure recorded at `atMs` (an attempt counted up-front that turned out right). */
  withdraw(key: string, atMs: number): void {
    const times = this.failures.get(key);
    const i = times?.lastIndexOf(atMs) ?? -1;
    if (i >= 0) times!.splice(i, 1);
  }

  /** A successful login clears the key's failures. */
  reset(key: string): void {
    this.failures.delete(key);
  }

  get size(): number {
    return this.failures.size;
  }

  private recent(key: string, nowMs: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const from = nowMs - this.opts.windowMs;
    while (times.length > 0 && times[0]! <= from) times.shift();
    if (times.length === 0) this.failures.delete(key);
    return times;
  }

  private bound(nowMs: number): void {
    const maxKeys = this.opts.maxKeys ?? 10_000;
    if (this.failures.size <= maxKeys) return;
    for (const key of [...this.failures.keys()]) this.recent(key, nowMs);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= maxKeys) break;
      this.failures.delete(key);
    }
  }
}
