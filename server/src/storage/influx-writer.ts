import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as TypeScript from 'typescript';
import type { SamplePoint } from '../contracts';
import { seriesKeyOf } from './influx-line';
import { QUALITY_CODE } from './store.port';

/** What the writer thread is started with (its `workerData`). */
export interface WriterInit {
  /** `…/write?db=…&precision=ms[&u=…&p=…]`. */
  writeUrl: string;
  timeoutMs: number;
  /** For error messages: `influxdb http://host:port/db`. */
  description: string;
}

/**
 * One store batch in columns (transferred, not copied): point i is series `keyIds[i]` at `tsMs[i]`, its value in
 * `values[i]` by `kinds[i]` (a number; an index into `strings`; true; false), its quality code in `quality[i]`.
 */
export interface WriterBatch {
  id: number;
  /** Series keys the thread has not been sent yet: [id, key]. */
  newKeys: [number, string][];
  count: number;
  keyIds: Int32Array;
  tsMs: Float64Array;
  values: Float64Array;
  kinds: Uint8Array;
  quality: Uint8Array;
  strings: string[];
  /** Lines formatted on the main thread, after the points: alarm events (rare). */
  extraLines: string[];
}

export interface WriterReply {
  id: number;
  error?: string;
}

// The kinds of influx-writer.worker.ts (not imported: that module runs on the other thread).
const KIND_NUMBER = 0;
const KIND_STRING = 1;
const KIND_TRUE = 2;
const KIND_FALSE = 3;

/**
 * The InfluxDB write path on a worker thread (influx-writer.worker.ts): the main thread only puts a batch into
 * columns (a map lookup and five array stores a point) and hands it over; the line protocol and the HTTP request are
 * the thread's. One batch at a time is what the write buffer sends, but the thread takes any number. The thread is
 * started at the first write and again after it died (each pending write then fails, and the write buffer retries).
 */
export class InfluxWriterThread {
  private worker: Worker | undefined;
  private readonly keyIds = new Map<string, number>();
  private readonly keys: string[] = [];
  /** Series keys the current thread holds (ids below this). */
  private workerKeys = 0;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  constructor(private readonly init: WriterInit) {}

  /** Resolves once InfluxDB answered 2xx; rejects with its error text, a timeout, or the thread's death. */
  write(points: readonly SamplePoint[], extraLines: string[]): Promise<void> {
    const n = points.length;
    const keyIds = new Int32Array(n);
    const tsMs = new Float64Array(n);
    const values = new Float64Array(n);
    const kinds = new Uint8Array(n);
    const quality = new Uint8Array(n);
    const strings: string[] = [];
    for (let i = 0; i < n; i++) {
      const p = points[i]!;
      let keyId = this.keyIds.get(p.tag);
      if (keyId === undefined) {
        keyId = this.keys.length;
        this.keys.push(seriesKeyOf(p));
        this.keyIds.set(p.tag, keyId);
      }
      keyIds[i] = keyId;
      tsMs[i] = Math.trunc(p.tsMs);
      quality[i] = QUALITY_CODE[p.q];
      const v = p.v;
      if (typeof v === 'number') {
        kinds[i] = KIND_NUMBER;
        values[i] = v;
      } else if (typeof v === 'string') {
        kinds[i] = KIND_STRING;
        values[i] = strings.push(v) - 1;
      } else kinds[i] = v ? KIND_TRUE : KIND_FALSE;
    }
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      return Promise.reject(
        new Error(`${this.init.description}: cannot start the writer thread: ${(err as Error).message}`),
      );
    }
    const newKeys: [number, string][] = [];
    for (let id = this.workerKeys; id < this.keys.length; id++) newKeys.push([id, this.keys[id]!]);
    this.workerKeys = this.keys.length;
    const id = ++this.nextId;
    const batch: WriterBatch = { id, newKeys, count: n, keyIds, tsMs, values, kinds, quality, strings, extraLines };
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(batch, [keyIds.buffer, tsMs.buffer, values.buffer, kinds.buffer, quality.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll(new Error(`${this.init.description}: store closed`));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWriterWorker(this.init);
    // The thread must not keep a process alive that has nothing else to do (a write then fails with the exit).
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error === undefined) waiter?.resolve();
      else waiter?.reject(new Error(reply.error));
    });
    const gone = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.workerKeys = 0;
      this.failAll(new Error(`${this.init.description}: writer thread ${why}`));
    };
    worker.on('error', (err) => gone(`failed: ${err.message}`));
    worker.on('exit', (code) => gone(`exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiters) w.reject(err);
  }
}

/**
 * The compiled thread next to this file (dist); from the TypeScript sources (jest), the one self-contained file is
 * transpiled here and run with `eval`.
 */
function startWriterWorker(init: WriterInit): Worker {
  const compiled = join(__dirname, 'influx-writer.worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData: init });
  return new Worker((transpiledWorker ??= transpileWorker()), { eval: true, workerData: init });
}

/** The worker's JavaScript from its TypeScript source, made once per process (every InfluxStore starts a thread). */
let transpiledWorker: string | undefined;

function transpileWorker(): string {
  const source = join(__dirname, 'influx-writer.worker.ts');
  const ts = createRequire(__filename)('typescript') as typeof TypeScript;
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: source,
  });
  return `(function (exports, module) {\n${outputText}\n})({}, { exports: {} });`;
}
