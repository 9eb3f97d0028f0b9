import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Serves the built web app at `/` so the demo needs one URL; client-side routes fall back to index.html.
 * Returns false when there is no build (the API still runs).
 */
export function serveWebApp(app: NestExpressApplication, dist: string): boolean {
  const index = join(dist, 'index.html');
  if (!dist || !existsSync(index)) return false;
  app.useStaticAssets(dist, {
    index: 'index.html',
    maxAge: '1h',
    setHeaders: (res, path) => {
      if (path.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (
      req.method !== 'GET' ||
      req.path.startsWith('/api') ||
      req.path.startsWith('/socket.io') ||
      req.path.includes('.')
    ) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
