import bcrypt from 'bcryptjs';

/**
 * bcrypt work factor of new hashes. 12 costs about a quarter of a second in pure JS on a server core: cheap for a
 * login, expensive for a guesser. Hashes carry their own cost, so raising it later keeps old ones valid.
 */
export const DEFAULT_BCRYPT_COST = 12;

/** Shape of a bcrypt hash (`$2a$`, `$2b$` or `$2y$`, two-digit cost, 53 characters of salt and digest). */
export const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** bcrypt reads only the first 72 bytes of a password; longer ones would silently match their prefix. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_CHARS = 8;

/** Why a new password is not acceptable, or undefined when it is. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_CHARS) return `password must have at least ${MIN_PASSWORD_CHARS} characters`;
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    return `password must be at most ${MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)`;
  }
  return undefined;
}

/** Hashes a password (asynchronously: bcryptjs yields to the event loop, so ingestion is not held up). */
export function hashPassword(password: string, cost = DEFAULT_BCRYPT_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}

/** Checks a password against a bcrypt hash; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!BCRYPT_HASH.test(hash)) return false;
  return bcrypt.compare(password, hash);
}

/** The cost a hash was made with. */
export function hashCost(hash: string): number | undefined {
  const m = /^\$2[aby]\$(\d{2})\$/.exec(hash);
  return m ? Number(m[1]) : undefined;
}
