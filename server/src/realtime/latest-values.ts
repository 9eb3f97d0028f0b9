import { Injectable } from '@nestjs/common';
import type { LatestValue, SamplePoint } from '../contracts';

/** Latest value per tag, and which tags changed since the last realtime push (DESIGN.md §2 latest-value cache). */
@Injectable()
export class LatestValues {
  private readonly values = new Map<string, LatestValue>();
  private readonly dirty = new Set<string>();

  /** Keeps the newest sample per tag; an out-of-order older sample does not overwrite a newer one. */
  update(p: SamplePoint): void {
    const prev = this.values.get(p.tag);
    if (prev && prev.ts > p.tsMs) return;
    if (prev) {
      prev.v = p.v;
      prev.q = p.q;
      prev.ts = p.tsMs;
    } else {
      this.values.set(p.tag, { v: p.v, q: p.q, ts: p.tsMs });
    }
    this.dirty.add(p.tag);
  }

  /** The latest value of one tag (the cache's own object: read, do not keep or change it). */
  get(tag: string): Readonly<LatestValue> | undefined {
    return this.values.get(tag);
  }

  all(): Record<string, LatestValue> {
    const out: Record<string, LatestValue> = {};
    for (const [tag, v] of this.values) out[tag] = { ...v };
    return out;
  }

  /**
   * Values changed since they were last taken, at most `max` of them (the oldest changes first); the rest stay
   * changed for the next call. Empty object when nothing changed.
   */
  takeChanged(max = Number.POSITIVE_INFINITY): Record<string, LatestValue> {
    const out: Record<string, LatestValue> = {};
    let taken = 0;
    for (const tag of this.dirty) {
      if (taken >= max) break;
      this.dirty.delete(tag);
      taken++;
      const v = this.values.get(tag);
      if (v) out[tag] = { ...v };
    }
    return out;
  }

  /** How many tags changed since they were last taken. */
  get changedCount(): number {
    return this.dirty.size;
  }

  /** Forgets which tags changed (nobody is watching: a screen that connects gets everything in its snapshot). */
  discardChanged(): void {
    this.dirty.clear();
  }

  get size(): number {
    return this.values.size;
  }
}
