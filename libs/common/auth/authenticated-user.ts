import { registerAppOnlyEnum } from '../enum-registry.js';

/** Held in `users.roles` (text[]), so an app-only vocabulary in `/meta/enums`. */
export const ROLES = ['user', 'admin', 'compliance'] as const;
export type Role = (typeof ROLES)[number];
registerAppOnlyEnum('role', ROLES);

/** What the JWT guard puts on the request once the token and its session check out. */
export interface AuthenticatedUser {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly emailVerified: boolean;
  /** The refresh-session (device) this access token belongs to. */
  readonly sessionId: string;
  /** Seconds since epoch when the access token was issued (fresh re-authentication checks). */
  readonly issuedAt: number;
}

export const JWT_STRATEGY = 'jwt';
