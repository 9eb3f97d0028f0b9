import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ComponentHealth } from '../contracts';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EmbeddedBroker } from './embedded-broker';
import { AclFile, PasswordFile } from './mqtt-auth';

/** Reads a file named by a config key, failing with the key and the path. */
function readConfigFile(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${key}=${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Starts the embedded broker when MQTT_URL is unset; otherwise does nothing and points at the external broker. */
@Injectable()
export class BrokerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BrokerService.name);
  private readonly embedded: EmbeddedBroker | undefined;

  /** The server's own ingest client on the embedded broker: a random password, new at every start. */
  private readonly internal = { username: 'hazard-internal', password: randomBytes(24).toString('base64url') };
  /** Refusals by kind, for metrics; the log line is rate-limited. */
  readonly denied = { connect: 0, publish: 0, subscribe: 0 };
  private lastDeniedLogMs = 0;
  private suppressedDenials = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.MQTT_URL) {
      this.embedded = undefined;
      return;
    }
    const passwords = config.MQTT_PASSWORD_FILE
      ? PasswordFile.parse(readConfigFile('MQTT_PASSWORD_FILE', config.MQTT_PASSWORD_FILE), config.MQTT_PASSWORD_FILE)
      : undefined;
    const acl = config.MQTT_ACL_FILE
      ? AclFile.parse(readConfigFile('MQTT_ACL_FILE', config.MQTT_ACL_FILE), config.MQTT_ACL_FILE)
      : undefined;
    const allowAnonymous =
      config.MQTT_ALLOW_ANONYMOUS === 'auto' ? passwords === undefined : config.MQTT_ALLOW_ANONYMOUS === 'true';
    this.embedded = new EmbeddedBroker({
      host: config.MQTT_HOST,
      port: config.MQTT_PORT,
      ...(passwords ? { passwords } : {}),
      ...(acl ? { acl } : {}),
      allowAnonymous,
      internal: this.internal,
      ...(config.MQTT_TLS_CERT && config.MQTT_TLS_KEY
        ? {
            tls: {
              port: config.MQTT_TLS_PORT,
              cert: Buffer.from(readConfigFile('MQTT_TLS_CERT', config.MQTT_TLS_CERT)),
              key: Buffer.from(readConfigFile('MQTT_TLS_KEY', config.MQTT_TLS_KEY)),
            },
          }
        : {}),
      onDenied: (what, detail) => this.onDenied(what, detail),
    });
    if (allowAnonymous) {
      this.logger.warn(
        '!!! embedded MQTT broker lets ANONYMOUS clients publish (demo profile only): set MQTT_PASSWORD_FILE ' +
          '(and MQTT_ACL_FILE) for any real site — docs/mqtt-security.md',
      );
    }
  }

  async onModuleInit(): Promise<void> {
    if (!this.embedded) return;
    const port = await this.embedded.start();
    const tls = this.embedded.tlsPort ? `, TLS on ${this.config.MQTT_HOST}:${this.embedded.tlsPort}` : '';
    this.logger.log(`embedded MQTT broker listening on ${this.config.MQTT_HOST}:${port}${tls}`);
  }

  /** Credentials of the server's own ingest client: the internal user on the embedded broker, else the config's. */
  get credentials(): { username?: string; password?: string } {
    if (this.embedded) return { ...this.internal };
    return {
      ...(this.config.MQTT_USERNAME !== undefined ? { username: this.config.MQTT_USERNAME } : {}),
      ...(this.config.MQTT_PASSWORD !== undefined ? { password: this.config.MQTT_PASSWORD } : {}),
    };
  }

  /** Port of the embedded broker's TLS listener (0 without one). */
  get embeddedTlsPort(): number {
    return this.embedded?.tlsPort ?? 0;
  }

  private onDenied(what: 'connect' | 'publish' | 'subscribe', detail: string): void {
    this.denied[what]++;
    const nowMs = Date.now();
    // At most one line a second: a misconfigured gateway reconnecting in a loop must not flood the log.
    if (nowMs - this.lastDeniedLogMs < 1000) {
      this.suppressedDenials++;
      return;
    }
    const more = this.suppressedDenials > 0 ? ` (and ${this.suppressedDenials} more refusals)` : '';
    this.suppressedDenials = 0;
    this.lastDeniedLogMs = nowMs;
    this.logger.warn(`MQTT ${what} refused: ${detail}${more}`);
  }

  /** Where the ingest client connects. */
  get url(): string {
    return this.config.MQTT_URL ?? this.embedded!.localUrl;
  }

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  /** Port of the embedded broker (0 when external). */
  get embeddedPort(): number {
    return this.embedded?.port ?? 0;
  }

  describe(): string {
    return this.embedded
      ? `embedded aedes on :${this.embedded.port} (${this.embedded.connectedClients} clients)`
      : `external ${redact(this.url)}`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }

  health(connected: boolean, error: string | undefined): ComponentHealth {
    return connected
      ? { ok: true, detail: this.describe() }
      : { ok: false, detail: this.describe(), error: error ?? 'not connected' };
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = u.password ? '***' : '';
    return u.toString();
  } catch {
    return url;
  }
}
