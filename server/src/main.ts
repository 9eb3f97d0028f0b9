import { Logger } from '@nestjs/common';
import { loadConfig } from './config/app-config';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config, { shutdownHooks: true });
  const logger = new Logger('main');
  const shownHost = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST;
  const port = new URL(server.httpUrl).port;
  logger.log(
    `ready: http://${shownHost}:${port}  (MQTT ${server.mqttUrl}${server.webServed ? '' : '; web app not built'})`,
  );
}

main().catch((err: unknown) => {
  // Config and site-file errors already name the key / file / path; print them plainly and fail fast.
  process.stderr.write(`hazard-server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
