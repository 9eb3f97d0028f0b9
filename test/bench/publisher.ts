import { join } from 'node:path';
import type {
  PublishJob,
  PublishOutcome,
  StreamJob,
  StreamOutcome,
  WorkerReply,
  WorkerRequest,
} from './publisher.worker';
import { startTsWorker, WorkerChannel } from './ts-worker';

export type { PublishJob, PublishOutcome, StreamJob, StreamOutcome, StreamTag } from './publisher.worker';

type Body<R> = R extends unknown ? Omit<R, 'id'> : never;

/** The load generator's thread (publisher.worker.ts), so that publishing takes no event-loop time from the server. */
export class PublisherThread {
  private readonly channel = new WorkerChannel<Body<WorkerRequest>, WorkerReply>(
    startTsWorker(join(__dirname, 'publisher.worker.ts')),
  );

  /** Publishes every payload of the job and resolves once all are acknowledged (or the cap stopped it). */
  async publish(job: PublishJob): Promise<PublishOutcome> {
    const reply = await this.channel.request({ job });
    if ('error' in reply) throw new Error(`publisher: ${reply.error}`);
    if (!('outcome' in reply)) throw new Error('publisher: unexpected reply');
    return reply.outcome;
  }

  /** Streams a paced load generated on the fly; resolves when its duration is over or `stopStreams` was called. */
  async stream(job: StreamJob): Promise<StreamOutcome> {
    const reply = await this.channel.request({ stream: job });
    if ('error' in reply) throw new Error(`publisher: ${reply.error}`);
    if (!('streamOutcome' in reply)) throw new Error('publisher: unexpected reply');
    return reply.streamOutcome;
  }

  /** Ends the running streams early (each still waits for its outstanding PUBACKs). */
  async stopStreams(): Promise<void> {
    await this.channel.request({ stopStreams: true });
  }

  async close(): Promise<void> {
    try {
      await this.channel.request({ close: true });
    } finally {
      await this.channel.worker.terminate();
    }
  }
}
