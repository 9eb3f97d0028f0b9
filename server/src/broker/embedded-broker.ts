import type Aedes from 'aedes';
import type { Client } from 'aedes';
import { createBroker } from 'aedes';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { AclFile, PasswordFile } from './mqtt-auth';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** Username/password check (Mosquitto password file); absent: no passwords. */
  passwords?: PasswordFile;
  /** Topic ACL (Mosquitto acl_file); absent: an authenticated client may publish and subscribe anywhere. */
  acl?: AclFile;
  /** Clients without a username are let in (the demo profile only; the service logs it loudly). */
  allowAnonymous: boolean;
  /** The server's own ingest client: accepted besides the file, and not bound by the ACL. */
  internal: { username: string; password: string };
  /** An MQTT-over-TLS listener besides the plain one. */
  tls?: { port: number; cert: Buffer; key: Buffer };
  /** A refused connection, publish or subscription (for a rate-limited log and the counters). */
  onDenied?: (what: 'connect' | 'publish' | 'subscribe', detail: string) => void;
}

/** CONNACK return codes of MQTT 3.1.1 §3.2.2.3. */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refusal(message: string, returnCode: number): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode });
}

/**
 * The embedded MQTT broker (aedes over TCP) used when no external broker is configured, so that the demo needs no
 * install (DESIGN.md §6). In-memory persistence: QoS 1 sessions survive client reconnects, not broker restarts.
 */
export class EmbeddedBroker {
  private aedes: Aedes | undefined;
  private server: Server | undefined;
  private boundPort = 0;
  private tlsServer: TlsServer | undefined;
  /** Port of the TLS listener (0 without one). */
  tlsPort = 0;

  constructor(private readonly opts: EmbeddedBrokerOptions) {}

  /** Starts listening; resolves with the bound port (useful when asked for port 0). */
  async start(): Promise<number> {
    const o = this.opts;
    const users = new WeakMap<Client, string | null>();
    const internal = new WeakSet<Client>();
    const aedes = createBroker({
      concurrency: 1000,
      queueLimit: 100_000,
      authenticate: (client, username, password, done) => {
        const pw = password ? password.toString('utf8') : '';
        if (username === o.internal.username) {
          const ok = pw === o.internal.password;
          if (ok) internal.add(client);
          if (!ok) o.onDenied?.('connect', `client ${client.id}: wrong password for the internal user`);
          return done(ok ? null : refusal('bad credentials', BAD_USERNAME_OR_PASSWORD), ok);
        }
        if (!username) {
          if (!o.allowAnonymous) {
            o.onDenied?.('connect', `client ${client.id}: anonymous connection refused`);
            return done(refusal('anonymous not allowed', NOT_AUTHORIZED), false);
          }
          users.set(client, null);
        } else if (o.passwords) {
          if (!o.passwords.verify(username, pw)) {
            o.onDenied?.('connect', `client ${client.id}: bad username or password for "${username}"`);
            return done(refusal('bad credentials', BAD_USERNAME_OR_PASSWORD), false);
          }
          users.set(client, username);
        } else {
          users.set(client, username);
        }
        // A will the client could not publish itself is refused with the connection, so a misconfigured gateway
        // learns it at once rather than when it dies. aedes holds the will of a connecting client in `_will`.
        const will = (client as Client & { _will?: { topic: string } | null })._will;
        if (will && o.acl && !o.acl.canPublish(username || null, client.id, will.topic)) {
          o.onDenied?.('connect', `client ${client.id}: last will on "${will.topic}" not allowed by the ACL`);
          return done(refusal('will topic not allowed', NOT_AUTHORIZED), false);
        }
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        if (!client || !o.acl || internal.has(client)) return done(null);
        const user = users.get(client) ?? null;
        if (o.acl.canPublish(user, client.id, packet.topic)) return done(null);
        // MQTT 3.1.1 §3.3.5: a server that does not authorize a PUBLISH acknowledges it or closes the connection;
        // closing makes the misconfigured gateway visible instead of silently losing its data.
        o.onDenied?.('publish', `client ${client.id} (${user ?? 'anonymous'}) may not publish to "${packet.topic}"`);
        done(new Error(`not authorized to publish to ${packet.topic}`));
      },
      authorizeSubscribe: (client, sub, done) => {
        if (!client || !o.acl || internal.has(client)) return done(null, sub);
        const user = users.get(client) ?? null;
        if (o.acl.canSubscribe(user, client.id, sub.topic)) return done(null, sub);
        o.onDenied?.('subscribe', `client ${client.id} (${user ?? 'anonymous'}) may not subscribe to "${sub.topic}"`);
        done(null, null);
      },
    });
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
    if (o.tls) {
      const tls = createTlsServer({ cert: o.tls.cert, key: o.tls.key }, aedes.handle);
      await new Promise<void>((resolve, reject) => {
        tls.once('error', (err) => reject(new Error(`embedded MQTT broker TLS listener: ${err.message}`)));
        tls.listen(o.tls!.port, this.opts.host, () => resolve());
      });
      const tlsAddr = tls.address();
      this.tlsPort = typeof tlsAddr === 'object' && tlsAddr ? tlsAddr.port : o.tls.port;
      this.tlsServer = tls;
    }
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
    const tls = this.tlsServer;
    this.tlsServer = undefined;
    this.server = undefined;
    this.aedes = undefined;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (tls) await new Promise<void>((resolve) => tls.close(() => resolve()));
  }
}
