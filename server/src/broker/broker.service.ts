import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ComponentHealth } from '../contracts';
import { EmbeddedBroker } from './embedded-broker';

/** Starts the embedded broker when MQTT_URL is unset; otherwise does nothing and points at the external broker. */
@Injectable()
export class BrokerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BrokerService.name);
  private readonly embedded: EmbeddedBroker | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.embedded = config.MQTT_URL
      ? undefined
      : new EmbeddedBroker({ host: config.MQTT_HOST, port: config.MQTT_PORT });
  }

  async onModuleInit(): Promise<void> {
    if (!this.embedded) return;
    const port = await this.embedded.start();
    this.logger.log(`embedded MQTT broker listening on ${this.config.MQTT_HOST}:${port}`);
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
