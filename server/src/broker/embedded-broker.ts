import type Aedes from 'aedes';
import { createBroker } from 'aedes';
import { createServer, type Server } from 'node:net';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
}

/**
 * The embedded MQTT broker (aedes over TCP) used when no external broker is configured, so that the demo needs no
 * install (DESIGN.md §6). In-memory persistence: QoS 1 sessions survive client reconnects, not broker restarts.
 */
export class EmbeddedBroker {
  private aedes: Aedes | undefined;
  private server: Server | undefined;
  private boundPort = 0;

  constructor(private readonly opts: EmbeddedBrokerOptions) {}

  /** Starts listening; resolves with the bound port (useful when asked for port 0). */
  async start(): Promise<number> {
    const aedes = createBroker({ concurrency: 1000, queueLimit: 100_000 });
    const server = createServer(aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new Error(
            err.code === 'EADDRINUSE'
              ? `embedded MQTT broker: port ${this.opts.port} is in use; set MQTT_PORT to a free port or MQTT_URL to use that broker`
              : `embedded MQTT broker: ${err.message}`,
          ),
        ),
      );
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const addr = server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    this.aedes = aedes;
    this.server = server;
    return this.boundPort;
  }

  get port(): number {
    return this.boundPort;
  }

  /** URL local clients (the server's own ingest client) use to reach it. */
  get localUrl(): string {
    const host = this.opts.host === '0.0.0.0' || this.opts.host === '::' ? '127.0.0.1' : this.opts.host;
    return `mqtt://${host}:${this.boundPort}`;
  }

  get connectedClients(): number {
    return this.aedes?.connectedClients ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    const aedes = this.aedes;
    this.server = undefined;
    this.aedes = undefined;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
