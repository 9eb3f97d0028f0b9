import type { Reject, RejectReason } from './json-v1.decoder';

/**
 * Counts rejected input by reason and logs it with topic and reason, rate-limited per reason so a flood of
 * garbage cannot flood the log (DESIGN.md §3: never silently dropped).
 */
export class DeadLetters {
  readonly counts: Partial<Record<RejectReason, number>> = {};
  private readonly lastLogMs = new Map<RejectReason, number>();
  private readonly suppressed = new Map<RejectReason, number>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs = 10_000,
  ) {}

  record(topic: string, reject: Reject, nowMs: number): void {
    this.counts[reject.reason] = (this.counts[reject.reason] ?? 0) + 1;
    const last = this.lastLogMs.get(reject.reason);
    if (last !== undefined && nowMs - last < this.intervalMs) {
      this.suppressed.set(reject.reason, (this.suppressed.get(reject.reason) ?? 0) + 1);
      return;
    }
    const n = this.suppressed.get(reject.reason) ?? 0;
    this.suppressed.set(reject.reason, 0);
    this.lastLogMs.set(reject.reason, nowMs);
    this.log(
      `rejected ${reject.reason} on ${topic}: ${reject.detail}${n > 0 ? ` (+${n} more ${reject.reason} not logged)` : ''}`,
    );
  }

  total(): number {
    let n = 0;
    for (const v of Object.values(this.counts)) n += v ?? 0;
    return n;
  }
}
