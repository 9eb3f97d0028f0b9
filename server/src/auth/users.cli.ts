#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import { RoleSchema, UsernameSchema, roleAtLeast, type Role } from '../contracts';
import { resolveJwtSecret } from './jwt-secret';
import { DEFAULT_BCRYPT_COST, hashPassword, passwordProblem } from './password';
import { TokenSigner } from './token';
import {
  findUser,
  readUsersFile,
  removeUser,
  upsertUser,
  usersFilePath,
  writeUsersFile,
  type UserRecord,
} from './users.file';

const USAGE = `usage: node server/dist/auth/users.cli.js <command> [options]   (or: npm run users -- <command> …)

  add     --user NAME --role viewer|operator|admin [--display-name TEXT] [--password-stdin | --no-password] [--cost N]
          adds the user, or updates one of that name; asks for the password twice on a terminal, or reads one line
          from stdin with --password-stdin; --no-password makes a token-only account (a wall screen)
  remove  --user NAME       the user's tokens stop working at once
  list                      names and roles (never hashes)
  token   --user NAME [--ttl-h HOURS]
          prints a token for an existing user on stdout: for a kiosk wall screen, a viewer with a long life
          (default ${24 * 365} h); users above viewer get at most JWT_TTL_H

  --file PATH   the users file (default: USERS_FILE, else DATA_DIR/users.json)
  The server re-reads the file within a second; no restart is needed.`;

/** Everything the CLI touches outside itself, so tests run it in-process. */
export interface CliIo {
  /** The server's configuration (USERS_FILE, DATA_DIR, JWT_SECRET, JWT_TTL_H). */
  config(): AppConfig;
  /** All of stdin (for --password-stdin). */
  readStdin(): Promise<string>;
  /** A hidden prompt on the terminal; undefined when stdin is not a terminal. */
  promptHidden?: (prompt: string) => Promise<string>;
  out(text: string): void;
  err(text: string): void;
  nowMs(): number;
}

class UsageError extends Error {}

/** Runs one CLI command; returns the exit code (0 done, 1 failed, 2 bad usage). */
export async function runUsersCli(argv: string[], io: CliIo): Promise<number> {
  try {
    await run(argv, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`users: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.err(`users: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function run(argv: string[], io: CliIo): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        role: { type: 'string' },
        'display-name': { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'no-password': { type: 'boolean' },
        cost: { type: 'string' },
        'ttl-h': { type: 'string' },
        file: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: opts, positionals } = parsed;
  const command = positionals[0];
  if (opts.help || command === undefined) {
    io.out(`${USAGE}\n`);
    return;
  }
  const config = io.config();
  const file = opts.file ?? usersFilePath(config);
  const data = readUsersFile(file) ?? { users: [] };
  const username = (): string => {
    if (opts.user === undefined) throw new UsageError('--user is required');
    const r = UsernameSchema.safeParse(opts.user);
    if (!r.success) throw new UsageError(r.error.issues[0]?.message ?? 'bad --user');
    return r.data;
  };

  switch (command) {
    case 'add': {
      const name = username();
      const role = RoleSchema.safeParse(opts.role);
      if (!role.success) throw new UsageError(`--role must be one of ${RoleSchema.options.join(', ')}`);
      const cost = opts.cost === undefined ? DEFAULT_BCRYPT_COST : Number(opts.cost);
      if (!Number.isInteger(cost) || cost < 4 || cost > 16) throw new UsageError('--cost must be a whole number 4–16');
      if (opts['no-password'] && opts['password-stdin']) {
        throw new UsageError('--no-password and --password-stdin exclude each other');
      }
      const password = opts['no-password'] ? undefined : await readPassword(io, opts['password-stdin'] === true);
      const existing = findUser(data, name);
      const user: UserRecord = {
        username: existing?.username ?? name,
        role: role.data,
        ...(password !== undefined ? { passwordHash: await hashPassword(password, cost) } : {}),
        ...(opts['display-name'] !== undefined
          ? { displayName: opts['display-name'] }
          : existing?.displayName !== undefined
            ? { displayName: existing.displayName }
            : {}),
        updatedAt: new Date(io.nowMs()).toISOString(),
      };
      writeUsersFile(file, upsertUser(data, user));
      io.err(
        `${existing ? 'updated' : 'added'} ${user.username} (${user.role}${password === undefined ? ', token only' : ''}) in ${file}\n`,
      );
      return;
    }
    case 'remove': {
      const name = username();
      const r = removeUser(data, name);
      if (!r.removed) throw new Error(`no user "${name}" in ${file}`);
      writeUsersFile(file, r.data);
      io.err(`removed ${name} from ${file}\n`);
      return;
    }
    case 'list':
      for (const u of data.users) {
        io.out(
          `${u.username}\t${u.role}${u.passwordHash ? '' : '\t(token only)'}${u.displayName ? `\t${u.displayName}` : ''}\n`,
        );
      }
      return;
    case 'token': {
      const name = username();
      const user = findUser(data, name);
      if (!user)
        throw new Error(`no user "${name}" in ${file}: add it first (add --user ${name} --role viewer --no-password)`);
      const wantedH = opts['ttl-h'] === undefined ? 24 * 365 : Number(opts['ttl-h']);
      if (!Number.isFinite(wantedH) || wantedH <= 0 || wantedH > 24 * 365 * 5) {
        throw new UsageError('--ttl-h must be a number of hours, at most 5 years');
      }
      // Only a read-only screen may hold a token for months; an operator's token lasts a shift.
      const ttlH = roleAtLeast(user.role, 'operator' satisfies Role) ? Math.min(wantedH, config.JWT_TTL_H) : wantedH;
      const signer = new TokenSigner(resolveJwtSecret(config).secret);
      const { token, expiresAtMs } = signer.sign(
        { username: user.username, role: user.role },
        io.nowMs(),
        ttlH * 3_600_000,
      );
      io.out(`${token}\n`);
      const capped = ttlH < wantedH ? ` (capped at JWT_TTL_H=${config.JWT_TTL_H} h for role ${user.role})` : '';
      const kiosk = user.role === 'viewer' ? ' Wall URL: http://SERVER:PORT/?kiosk&token=<token>' : '';
      io.err(
        `token for ${user.username} (${user.role}) valid until ${new Date(expiresAtMs).toISOString()}${capped}; ` +
          `it is a secret: treat it like a password.${kiosk}\n`,
      );
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = (await io.readStdin()).replace(/\r?\n$/, '');
  } else if (io.promptHidden) {
    password = await io.promptHidden('password: ');
    if ((await io.promptHidden('again:    ')) !== password) throw new Error('the two passwords differ');
  } else {
    throw new UsageError('stdin is not a terminal: pass --password-stdin to read the password from it');
  }
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  return password;
}

function readAll(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** Reads a line without echoing it (raw mode): a password must not stay on the screen or in scrollback. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (c === '\u0003' || c === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        typed = c === '\u007f' || c === '\b' ? [...typed].slice(0, -1).join('') : typed + c;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

if (require.main === module) {
  void runUsersCli(process.argv.slice(2), {
    config: () => loadConfig(),
    readStdin: () => readAll(process.stdin),
    ...(process.stdin.isTTY ? { promptHidden } : {}),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    nowMs: () => Date.now(),
  }).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`users: ${err instanceof ConfigError ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
