import { z } from 'zod';

/**
 * Roles, lowest first: `viewer` reads (wall screens), `operator` acts on alarms (duty officers), `admin` also
 * takes alarms out of service and back (ISA-18.2: an authorised removal).
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** True when `role` may do what `needed` may (each role includes the ones below it). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Login name: letters (any script), digits, `.`, `_`, `-`; 1–32 characters. */
export const UsernameSchema = z
  .string({ error: 'username is required' })
  .trim()
  .regex(/^[\p{L}\p{N}._-]{1,32}$/u, 'username must be 1–32 letters, digits, ".", "_" or "-"');

/** `POST /api/auth/login` body. */
export const LoginRequestSchema = z.strictObject({
  username: UsernameSchema,
  password: z.string({ error: 'password is required' }).min(1, 'password is required').max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** Who a token speaks for. */
export interface AuthUser {
  username: string;
  role: Role;
}

/** `POST /api/auth/login` response; send the token as `Authorization: Bearer {token}` and in the socket.io `auth`. */
export interface LoginResponse {
  /** JWT (HS256). A secret: never log it. */
  token: string;
  user: AuthUser;
  /** Epoch ms after which the token is refused (401); log in again. */
  expiresAt: number;
}

/** `GET /api/auth/me`: the token's user and its expiry. */
export interface MeResponse {
  user: AuthUser;
  expiresAt: number;
}

/** socket.io handshake `auth` of the `/realtime` namespace (DESIGN.md §3). */
export interface RealtimeAuth {
  token: string;
}

/** `data` of the error a refused socket.io handshake carries (`connect_error`); `message` says why. */
export interface RealtimeAuthErrorData {
  code: 'unauthorized';
}
