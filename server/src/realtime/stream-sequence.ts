import { Injectable } from '@nestjs/common';

/**
 * Sequence numbers of the realtime stream (DESIGN.md §3): every pushed alarm (and later risk) event takes the next
 * number, and a snapshot carries the current one, so a client that sees a gap knows to resync.
 */
@Injectable()
export class StreamSequence {
  private seq = 0;

  get current(): number {
    return this.seq;
  }

  next(): number {
    return ++this.seq;
  }

  /**
   * Continues after the last number of a previous run (the highest `seq` in the journal at start), so that the
   * journal's time-then-seq order and a client's gap check hold across restarts.
   */
  resume(lastSeq: number): void {
    if (Number.isSafeInteger(lastSeq) && lastSeq > this.seq) this.seq = lastSeq;
  }
}
