import { createHash, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/**
 * Credentials and topic ACLs of the embedded broker, read from the same files Mosquitto uses (docs/mqtt-security.md),
 * so one `password_file` and one `acl_file` serve the demo's aedes and a production Mosquitto alike. Pure: the caller
 * reads the files and passes their text.
 */

/** A problem in a password or ACL file, naming the file and line. */
export class MqttAuthFileError extends Error {
  override name = 'MqttAuthFileError';
}

type Hash =
  /** Mosquitto 2 default (`mosquitto_passwd`): PBKDF2-HMAC-SHA512. */
  | { kind: 'pbkdf2-sha512'; iterations: number; salt: Buffer; hash: Buffer }
  /** Older Mosquitto (`-H sha512`): SHA-512 over password then salt. */
  | { kind: 'sha512'; salt: Buffer; hash: Buffer };

/** A Mosquitto password file: `user:$7$iterations$salt$hash` or `user:$6$salt$hash` per line. */
export class PasswordFile {
  private constructor(private readonly users: Map<string, Hash>) {}

  static parse(text: string, file: string): PasswordFile {
    const users = new Map<string, Hash>();
    const problems: string[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const where = `${file}:${i + 1}`;
      const colon = line.indexOf(':');
      if (colon <= 0) return void problems.push(`${where}: expected "user:hash"`);
      const user = line.slice(0, colon);
      const parts = line.slice(colon + 1).split('$');
      let hash: Hash | undefined;
      if (parts[1] === '7' && parts.length === 5) {
        const iterations = Number(parts[2]);
        if (Number.isInteger(iterations) && iterations > 0) {
          hash = {
            kind: 'pbkdf2-sha512',
            iterations,
            salt: Buffer.from(parts[3]!, 'base64'),
            hash: Buffer.from(parts[4]!, 'base64'),
          };
        }
      } else if (parts[1] === '6' && parts.length === 4) {
        hash = { kind: 'sha512', salt: Buffer.from(parts[2]!, 'base64'), hash: Buffer.from(parts[3]!, 'base64') };
      }
      if (!hash || hash.hash.length !== 64) {
        return void problems.push(
          `${where}: user "${user}": not a Mosquitto $7$ (PBKDF2-SHA512) or $6$ (SHA-512) hash`,
        );
      }
      if (users.has(user)) return void problems.push(`${where}: user "${user}" appears twice`);
      users.set(user, hash);
    });
    if (problems.length > 0) throw new MqttAuthFileError(`invalid password file:\n  ${problems.join('\n  ')}`);
    return new PasswordFile(users);
  }

  get size(): number {
    return this.users.size;
  }

  /** Constant-time check; false for an unknown user (after the same work, so timing does not tell). */
  verify(user: string, password: string): boolean {
    const h = this.users.get(user);
    const candidate =
      h?.kind === 'sha512'
        ? createHash('sha512').update(password).update(h.salt).digest()
        : pbkdf2Sync(
            password,
            h?.salt ?? Buffer.alloc(12),
            h?.kind === 'pbkdf2-sha512' ? h.iterations : 101,
            64,
            'sha512',
          );
    return h !== undefined && timingSafeEqual(candidate, h.hash);
  }
}

type Access = 'read' | 'write' | 'readwrite' | 'deny';

interface AclRule {
  access: Access;
  /** Topic filter levels; for `pattern` rules they may hold %u / %c. */
  levels: string[];
  pattern: boolean;
}

/**
 * A Mosquitto ACL file: `user <name>` starts a user's block; `topic [read|write|readwrite|deny] <filter>` grants
 * (or denies) within it (lines before any `user` apply to anonymous clients); `pattern [...] <filter>` applies to
 * everyone with `%u` (username) and `%c` (client id) substituted. A `deny` that matches wins (Mosquitto 2).
 */
export class AclFile {
  private constructor(
    private readonly byUser: Map<string | null, AclRule[]>,
    private readonly patterns: AclRule[],
  ) {}

  static parse(text: string, file: string): AclFile {
    const byUser = new Map<string | null, AclRule[]>();
    const patterns: AclRule[] = [];
    const problems: string[] = [];
    let user: string | null = null;
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const where = `${file}:${i + 1}`;
      const [keyword, ...rest] = line.split(/\s+/);
      if (keyword === 'user') {
        if (rest.length !== 1) return void problems.push(`${where}: expected "user <name>"`);
        user = rest[0]!;
        return;
      }
      if (keyword !== 'topic' && keyword !== 'pattern') {
        return void problems.push(`${where}: unknown keyword "${keyword}" (expected user, topic or pattern)`);
      }
      let access: Access = 'readwrite';
      if (rest.length === 2) {
        if (!['read', 'write', 'readwrite', 'deny'].includes(rest[0]!)) {
          return void problems.push(`${where}: access must be read, write, readwrite or deny; got "${rest[0]}"`);
        }
        access = rest[0] as Access;
      } else if (rest.length !== 1) {
        return void problems.push(`${where}: expected "${keyword} [read|write|readwrite|deny] <topic>"`);
      }
      const filter = rest[rest.length - 1]!;
      const levels = filter.split('/');
      const hash = levels.indexOf('#');
      if (hash !== -1 && hash !== levels.length - 1) return void problems.push(`${where}: "#" must be the last level`);
      const rule: AclRule = { access, levels, pattern: keyword === 'pattern' };
      if (rule.pattern) patterns.push(rule);
      else byUser.set(user, [...(byUser.get(user) ?? []), rule]);
    });
    if (problems.length > 0) throw new MqttAuthFileError(`invalid ACL file:\n  ${problems.join('\n  ')}`);
    return new AclFile(byUser, patterns);
  }

  /** May this client publish to `topic`? */
  canPublish(user: string | null, clientId: string, topic: string): boolean {
    return this.check(user, clientId, topic.split('/'), 'write');
  }

  /** May this client subscribe to `filter`? The filter must lie within a readable ACL filter. */
  canSubscribe(user: string | null, clientId: string, filter: string): boolean {
    return this.check(user, clientId, filter.split('/'), 'read');
  }

  private check(user: string | null, clientId: string, topic: string[], want: 'read' | 'write'): boolean {
    let allowed = false;
    const consider = (rule: AclRule, levels: string[]) => {
      if (!matches(levels, topic)) return;
      if (rule.access === 'deny') allowed = false;
      else if (rule.access === 'readwrite' || rule.access === want) allowed = true;
    };
    const denied = (rules: AclRule[], subst: (l: string) => string) =>
      rules.some((r) => r.access === 'deny' && matches(r.levels.map(subst), topic));
    const own = this.byUser.get(user) ?? [];
    const subst = (l: string) => l.replaceAll('%u', user ?? '').replaceAll('%c', clientId);
    if (denied(own, (l) => l) || (user !== null && denied(this.patterns, subst))) return false;
    for (const r of own) consider(r, r.levels);
    // Patterns need a username for %u (Mosquitto skips them for anonymous clients).
    if (user !== null) for (const r of this.patterns) consider(r, r.levels.map(subst));
    return allowed;
  }
}

/** MQTT filter matching (`+` one level, `#` the rest, including none); a `$` topic is not matched by a leading wildcard. */
export function matches(filter: string[], topic: string[]): boolean {
  if (topic[0]?.startsWith('$') && (filter[0] === '+' || filter[0] === '#')) return false;
  for (let i = 0; i < filter.length; i++) {
    const f = filter[i]!;
    if (f === '#') return true;
    if (i >= topic.length) return false;
    if (f !== '+' && f !== topic[i]) return false;
  }
  return filter.length === topic.length;
}
