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
  /** Seconds since epoch of the sign-in or step-up behind this token (`auth_time`; refresh keeps it). */
  readonly authTime: number;
  /** How that sign-in was proven (`amr`: `pwd`, `otp`, `oidc`). */
  readonly amr: readonly string[];
  /** The account has TOTP enabled. */
  readonly mfaEnrolled: boolean;
  /** This device session passed a second factor. */
  readonly mfaPassed: boolean;
}

export const STAFF_ROLES: readonly Role[] = ['admin', 'compliance'];
