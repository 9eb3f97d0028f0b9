import type { SeqStats } from '../contracts';

/**
 * A `seq` no more than this far below the last one is a redelivery or replay (QoS 1 resends unacknowledged
 * messages after a reconnect); further below, the publisher restarted its counter.
 */
export const SEQ_REPLAY_WINDOW = 100;

/** What one message's `seq` says about its publisher's stream. */
export type SeqVerdict =
  { kind: 'first' } | { kind: 'next' } | { kind: 'gap'; missed: number } | { kind: 'duplicate' } | { kind: 'restart' };

/**
 * Classifies one `seq` against the last one seen (DESIGN.md §3: `seq` per publisher, for gap detection). JSON v1
 * defines no wrap-around, so a drop to 0 is a restart; a gap is information, never a reason to drop points.
 */
export function classifySeq(lastSeq: number | null, seq: number): SeqVerdict {
  if (lastSeq === null) return { kind: 'first' };
  if (seq === lastSeq + 1) return { kind: 'next' };
  if (seq > lastSeq) return { kind: 'gap', missed: seq - lastSeq - 1 };
  if (seq === 0 && lastSeq > 0) return { kind: 'restart' };
  if (lastSeq - seq <= SEQ_REPLAY_WINDOW) return { kind: 'duplicate' };
  return { kind: 'restart' };
}

function emptyStats(): SeqStats {
  return {
    messages: 0,
    gaps: 0,
    missedMessages: 0,
    duplicates: 0,
    restarts: 0,
    lastSeq: null,
    lastGapAtMs: null,
  };
}

/** `seq` statistics per publisher key (JSON v1: the hazard source of the telemetry topic). Pure. */
export class SeqTracker {
  private readonly stats = new Map<string, SeqStats>();
  /** Totals over every publisher, for metrics. */
  readonly totals = emptyStats();

  observe(key: string, seq: number, nowMs: number): SeqVerdict {
    let s = this.stats.get(key);
    if (!s) {
      s = emptyStats();
      this.stats.set(key, s);
    }
    const verdict = classifySeq(s.lastSeq, seq);
    s.messages++;
    this.totals.messages++;
    switch (verdict.kind) {
      case 'first':
      case 'next':
        s.lastSeq = seq;
        break;
      case 'gap':
        s.gaps++;
        s.missedMessages += verdict.missed;
        s.lastGapAtMs = nowMs;
        s.lastSeq = seq;
        this.totals.gaps++;
        this.totals.missedMessages += verdict.missed;
        this.totals.lastGapAtMs = nowMs;
        break;
      case 'duplicate':
        // The stream goes on from the highest seq: a replayed old message must not make the next one a gap.
        s.duplicates++;
        this.totals.duplicates++;
        break;
      case 'restart':
        s.restarts++;
        s.lastSeq = seq;
        this.totals.restarts++;
        break;
    }
    return verdict;
  }

  /** A copy of one publisher's statistics (zeros when it never sent a `seq`). */
  get(key: string): SeqStats {
    const s = this.stats.get(key);
    return s ? { ...s } : emptyStats();
  }
}
