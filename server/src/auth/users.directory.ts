import { statSync } from 'node:fs';
import { findUser, readUsersFile, type UserRecord, type UsersFile } from './users.file';

/** How often the file's mtime is looked at: the CLI's changes apply within a second, without a restart. */
const RECHECK_MS = 1000;

/**
 * The users file as the server sees it. Loaded at start (a broken file stops the start, naming file and path);
 * re-read when the CLI changes it. A broken file written later keeps the last good users and is reported once.
 */
export class UsersDirectory {
  private data: UsersFile | undefined;
  private mtimeMs: number;
  private checkedAtMs = 0;

  constructor(
    readonly file: string,
    private readonly onReload: (event: { ok: true; users: number } | { ok: false; error: string }) => void = () =>
      undefined,
  ) {
    this.mtimeMs = this.statMtimeMs();
    this.data = readUsersFile(file);
  }

  /** False when the file does not exist yet: nobody can log in. */
  get exists(): boolean {
    return this.data !== undefined;
  }

  get count(): number {
    return this.data?.users.length ?? 0;
  }

  get(username: string, nowMs: number): UserRecord | undefined {
    this.refresh(nowMs);
    return findUser(this.data, username);
  }

  /** Any hash of the file (its cost sets the cost of the decoy check for unknown names). */
  anyHash(): string | undefined {
    return this.data?.users.find((u) => u.passwordHash !== undefined)?.passwordHash;
  }

  private refresh(nowMs: number): void {
    if (nowMs - this.checkedAtMs < RECHECK_MS) return;
    this.checkedAtMs = nowMs;
    const mtimeMs = this.statMtimeMs();
    if (mtimeMs === this.mtimeMs) return;
    this.mtimeMs = mtimeMs;
    try {
      this.data = readUsersFile(this.file);
      this.onReload({ ok: true, users: this.count });
    } catch (err) {
      this.onReload({ ok: false, error: (err as Error).message });
    }
  }

  private statMtimeMs(): number {
    try {
      return statSync(this.file).mtimeMs;
    } catch {
      return -1;
    }
  }
}
