import { transformFileSync } from '@swc/core';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript file of this folder. Jest transpiles only what the test imports, so the
 * worker's TypeScript is transpiled here with the same SWC and evaluated with a `require` rooted at the file (which
 * finds mqtt and socket.io-client). The file must be self-contained: it may import only packages and types.
 */
export function startTsWorker(file: string): Worker {
  const { code } = transformFileSync(file, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: false,
  });
  const wrapped = `(function (require, exports, module) {\n${code}\n})(require('node:module').createRequire(${JSON.stringify(file)}), exports, module);`;
  return new Worker(wrapped, { eval: true });
}

/** Request/reply over a worker's message port: each request carries an `id` the reply repeats. */
export class WorkerChannel<Request extends object, Reply extends { id: number }> {
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    worker.on('error', (err) => {
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    });
  }

  request(body: Request): Promise<Reply> {
    const id = ++this.nextId;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...body });
    });
  }
}
