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
}
