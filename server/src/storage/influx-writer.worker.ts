/**
 * The InfluxDB write path on its own thread (influx-writer.ts): line protocol put together from columns and posted
 * with `POST /write?precision=ms` on a keep-alive connection. Self-contained on purpose (node: modules and type-only
 * imports): from the TypeScript sources it is transpiled alone and run with `eval` (influx-writer.ts).
 *
 * Why a thread: on the 2-core machine of docs/performance.md the server's main thread, which evaluates the alarms,
 * was starved of CPU under ingest with a wall screen on the same machine; formatting and sending the batches was a
 * sixth of its work, and a second thread gets its own share of the CPU.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import type { WriterBatch, WriterInit, WriterReply } from './influx-writer';

/** Value kinds of `WriterBatch.kinds`. */
export const KIND_NUMBER = 0;
export const KIND_STRING = 1;
export const KIND_TRUE = 2;
export const KIND_FALSE = 3;

/** A string field: double quotes and backslashes escaped (line protocol §strings); the twin of influx-line.ts. */
function quoteField(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The batch's lines, exactly as `LineEncoder.point` writes them (influx-writer.spec.ts holds the two to the same
 * text), then the lines formatted on the main thread. `keys` is the thread's table of series keys by id.
 */
export function batchBody(batch: WriterBatch, keys: string[]): string {
  for (const [id, key] of batch.newKeys) keys[id] = key;
  const lines = new Array<string>(batch.count + batch.extraLines.length);
  const { keyIds, tsMs, values, kinds, quality, strings } = batch;
  for (let i = 0; i < batch.count; i++) {
    const kind = kinds[i]!;
    const value =
      kind === KIND_NUMBER
        ? `v=${String(values[i]!)}`
        : kind === KIND_STRING
          ? `s=${quoteField(strings[values[i]!]!)}`
          : `b=${kind === KIND_TRUE ? 'true' : 'false'}`;
    lines[i] = `${keys[keyIds[i]!]!} ${value},q=${quality[i]!} ${tsMs[i]!}`;
  }
  for (let j = 0; j < batch.extraLines.length; j++) lines[batch.count + j] = batch.extraLines[j]!;
  return lines.join('\n');
}

function post(init: WriterInit, agent: HttpAgent, url: URL, body: string): Promise<void> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<void>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: init.timeoutMs,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 500);
          reject(new Error(`${init.description} write answered ${status}: ${text}`));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${init.description} write timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

if (parentPort) {
  const port = parentPort;
  const init = workerData as WriterInit;
  const url = new URL(init.writeUrl);
  const agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const keys: string[] = [];
  port.on('message', (batch: WriterBatch) => {
    let body: string;
    try {
      body = batchBody(batch, keys);
    } catch (err) {
      port.postMessage({ id: batch.id, error: `line protocol: ${(err as Error).message}` } satisfies WriterReply);
      return;
    }
    post(init, agent, url, body).then(
      () => port.postMessage({ id: batch.id } satisfies WriterReply),
      (err: unknown) => port.postMessage({ id: batch.id, error: (err as Error).message } satisfies WriterReply),
    );
  });
}
