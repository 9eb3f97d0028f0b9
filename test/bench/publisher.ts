import { transformFileSync } from '@swc/core';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PublishJob, PublishOutcome, WorkerReply, WorkerRequest } from './publisher.worker';

export type { PublishJob, PublishOutcome } from './publisher.worker';

const WORKER_FILE = join(__dirname, 'publisher.worker.ts');

/**
 * The load generator's thread. Jest transpiles only what the test imports, so the worker's TypeScript is
 * transpiled here with the same SWC and evaluated with a `require` rooted in this folder (which finds mqtt).
 */
export class PublisherThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor() {
    const { code } = transformFileSync(WORKER_FILE, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    const wrapped = `(function (require, exports, module) {\n${code}\n})(require('node:module').createRequire(${JSON.stringify(WORKER_FILE)}), exports, module);`;
    this.worker = new Worker(wrapped, { eval: true });
    this.worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    this.worker.on('error', (err) => {
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    });
  }

  private request(body: { job: PublishJob } | { close: true }): Promise<WorkerReply> {
    const id = ++this.nextId;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...body } satisfies WorkerRequest);
    });
  }

  /** Publishes every payload of the job and resolves once all are acknowledged (or the cap stopped it). */
  async publish(job: PublishJob): Promise<PublishOutcome> {
    const reply = await this.request({ job });
    if ('error' in reply) throw new Error(`publisher: ${reply.error}`);
    if (!('outcome' in reply)) throw new Error('publisher: unexpected reply');
    return reply.outcome;
  }

  async close(): Promise<void> {
    try {
      await this.request({ close: true });
    } finally {
      await this.worker.terminate();
    }
  }
}
