import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';

/** Shortest accepted key (HS256 wants at least its 256-bit output size of entropy). */
export const MIN_SECRET_CHARS = 32;

/** The signing key and where it came from (for the start-up log; the key itself is never logged). */
export interface JwtSecret {
  secret: string;
  source: 'JWT_SECRET' | 'generated' | 'file';
  file?: string;
}

/**
 * JWT_SECRET when set; else the key persisted in DATA_DIR/jwt-secret, generated on first start (created exclusively,
 * owner-only), so that tokens survive a restart without anybody choosing or hard-coding a key.
 */
export function resolveJwtSecret(config: Pick<AppConfig, 'JWT_SECRET' | 'DATA_DIR'>): JwtSecret {
  if (config.JWT_SECRET !== undefined) return { secret: config.JWT_SECRET, source: 'JWT_SECRET' };
  const file = join(config.DATA_DIR, 'jwt-secret');
  const existing = readSecret(file);
  if (existing !== undefined) return { secret: existing, source: 'file', file };
  mkdirSync(config.DATA_DIR, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return { secret: readSecret(file)!, source: 'generated', file };
  } catch (err) {
    // Another process (the CLI, a second instance) created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { secret: readSecret(file)!, source: 'file', file };
    throw new Error(`cannot create the JWT key file ${file}: ${(err as Error).message}`);
  }
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the JWT key file ${file}: ${(err as Error).message}`);
  }
  const secret = text.trim();
  if (secret.length < MIN_SECRET_CHARS) {
    throw new Error(`JWT key file ${file} holds fewer than ${MIN_SECRET_CHARS} characters: delete it to regenerate`);
  }
  return secret;
}
