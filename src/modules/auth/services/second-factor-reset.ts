import type { UserEntity } from '../entities/user.entity.js';

/**
 * Forgets the account's second factor: TOTP secret, backup codes, replay step and the MFA
 * failure counter and lock. Used by the admin MFA reset and `users:create --reset-credentials`;
 * the caller saves the account and revokes its sessions in the same transaction.
 */
export function clearSecondFactor(user: UserEntity): void {
  user.mfaEnabledAt = null;
  user.mfaTotpSecret = null;
  user.mfaBackupCodeHashes = [];
  user.mfaLastTimeStep = null;
  user.mfaFailedCount = 0;
  user.mfaLockedUntil = null;
}
