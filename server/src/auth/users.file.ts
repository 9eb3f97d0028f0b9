import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { AppConfig } from '../config/app-config';
import { RoleSchema, UsernameSchema } from '../contracts';
import { BCRYPT_HASH } from './password';

/** One account. A user without `passwordHash` cannot log in: it exists for kiosk tokens (wall screens). */
export const UserRecordSchema = z.strictObject({
  username: UsernameSchema,
  role: RoleSchema,
  passwordHash: z.string().regex(BCRYPT_HASH, 'must be a bcrypt hash ($2b$12$…); set it with the users CLI').optional(),
  /** Shown in the console and the journal next to the login name. */
  displayName: z.string().trim().min(1).max(64).optional(),
  /** ISO 8601 time of the last change by the CLI. */
  updatedAt: z.string().optional(),
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

/** The users file (USERS_FILE). */
export const UsersFileSchema = z
  .strictObject({
    users: z.array(UserRecordSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.users.forEach((u, i) => {
      const key = u.username.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', i, 'username'],
          message: `duplicate username "${u.username}" (also users[${first}]; names are case-insensitive)`,
        });
      } else seen.set(key, i);
    });
  });
export type UsersFile = z.infer<typeof UsersFileSchema>;

/** Thrown when a users file cannot be used; the message names the file and every bad path. */
export class UsersFileError extends Error {
  override name = 'UsersFileError';
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(
      `invalid users file ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${file}: ${p.path}: ${p.message}`).join('\n'),
    );
  }
}

/** Where the users file is: USERS_FILE, else DATA_DIR/users.json. */
export function usersFilePath(config: Pick<AppConfig, 'USERS_FILE' | 'DATA_DIR'>): string {
  return config.USERS_FILE ?? join(config.DATA_DIR, 'users.json');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)),
    '',
  );
}

/** Parses and validates users JSON; `file` names it in errors. */
export function parseUsersJson(text: string, file: string): UsersFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsersFileError(file, [{ path: '(json)', message: (err as Error).message }]);
  }
  const result = UsersFileSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new UsersFileError(
    file,
    result.error.issues.map((i) => ({
      path: formatPath(i.path) || '(root)',
      message: i.code === 'unrecognized_keys' ? `unknown field ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message,
    })),
  );
}

/** Reads a users file; undefined when there is none yet (any other read error is a UsersFileError). */
export function readUsersFile(file: string): UsersFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsersFileError(file, [{ path: '(file)', message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseUsersJson(text, file);
}

/** Writes atomically (temporary file, then rename) and readable by the owner only: it holds password hashes. */
export function writeUsersFile(file: string, data: UsersFile): void {
  const checked = UsersFileSchema.parse(data);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The file with `user` added, or replacing the user of the same (case-insensitive) name. */
export function upsertUser(data: UsersFile, user: UserRecord): UsersFile {
  const key = user.username.toLowerCase();
  const i = data.users.findIndex((u) => u.username.toLowerCase() === key);
  const users = [...data.users];
  if (i < 0) users.push(user);
  else users[i] = user;
  return { ...data, users };
}

/** The file without `username`; `removed` false when it was not there. */
export function removeUser(data: UsersFile, username: string): { data: UsersFile; removed: boolean } {
  const key = username.toLowerCase();
  const users = data.users.filter((u) => u.username.toLowerCase() !== key);
  return { data: { ...data, users }, removed: users.length !== data.users.length };
}

export function findUser(data: UsersFile | undefined, username: string): UserRecord | undefined {
  const key = username.toLowerCase();
  return data?.users.find((u) => u.username.toLowerCase() === key);
}
