import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LogLevel } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { BrokerService } from './broker/broker.service';
import { serveWebApp } from './web/web-static';

const LEVELS: Record<AppConfig['LOG_LEVEL'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

export interface RunningServer {
  app: NestExpressApplication;
  /** http://127.0.0.1:PORT */
  httpUrl: string;
  /** URL of the broker the server ingests from (the embedded one when MQTT_URL is unset). */
  mqttUrl: string;
  /** Port of the embedded broker's MQTT-over-TLS listener; 0 without one. */
  mqttTlsPort: number;
  webServed: boolean;
  close(): Promise<void>;
}

/** Creates, starts and listens; used by main.ts and by tests (with PORT=0 and MQTT_PORT=0). */
export async function startServer(
  config: AppConfig,
  opts: { logger?: false; shutdownHooks?: boolean } = {},
): Promise<RunningServer> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    logger: opts.logger === false ? false : LEVELS[config.LOG_LEVEL],
    abortOnError: false,
  });
  app.setGlobalPrefix('api');
  // SIGINT/SIGTERM close the app: MQTT intake stops, the write buffer drains, the store and broker close.
  if (opts.shutdownHooks) app.enableShutdownHooks();
  const webServed = serveWebApp(app, config.WEB_DIST);
  await app.listen(config.PORT, config.HOST);
  const addr = app.getHttpServer().address() as AddressInfo;
  const broker = app.get(BrokerService);
  return {
    app,
    httpUrl: `http://127.0.0.1:${addr.port}`,
    mqttUrl: broker.url,
    mqttTlsPort: broker.embeddedTlsPort,
    webServed,
    close: async () => {
      // Browsers pre-open connections that never send a request; server.close() would wait out their 60 s header
      // timeout. After a 2 s grace for requests in flight, the rest are cut.
      const http = app.getHttpServer() as Server;
      const force = setTimeout(() => http.closeAllConnections(), 2000);
      force.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(force);
      }
    },
  };
}
