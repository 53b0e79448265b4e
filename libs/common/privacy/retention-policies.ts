/**
 * Retention policies as code. Every category a module keeps past erasure, and every category a
 * retention task purges, names one of these; a purge task whose category has no policy makes the
 * retention run fail (nothing is kept or deleted silently).
 *
 * `periodDays` counts from the policy's `from` event. `action` is what happens when the period
 * has passed.
 */
export const LEGAL_RETENTION_YEARS = 10;
const YEAR_DAYS = 365;

export type RetentionAction = 'delete' | 'keep';

export interface RetentionPolicy {
  category: string;
  periodDays: number;
  /** ISO 8601 duration equivalent of `periodDays`, for people. */
  period: string;
  /** The event the period counts from. */
  from: string;
  action: RetentionAction;
  /** Why the data is kept this long (legal basis). */
  reason: string;
}

export const RETENTION_POLICIES: readonly RetentionPolicy[] = [
  {
    category: 'bookings',
    periodDays: LEGAL_RETENTION_YEARS * YEAR_DAYS,
    period: `P${LEGAL_RETENTION_YEARS}Y`,
    from: 'the booking (kept pseudonymised after erasure)',
    action: 'delete',
    reason:
      'Commercial and tax law: booking, invoice and payment records are kept for 10 years (HGB §257, AO §147).',
  },
  {
    category: 'erased_accounts',
    periodDays: 0,
    period: 'P0D',
    from: 'the purge of the last kept booking that references the erased account',
    action: 'delete',
    reason:
      'Storage limitation (GDPR Art. 5(1)(e)): an erased account survives only as an empty row (status deleted) that kept bookings reference; once none does, it is deleted.',
  },
  {
    category: 'consent_ledger',
    periodDays: LEGAL_RETENTION_YEARS * YEAR_DAYS,
    period: `P${LEGAL_RETENTION_YEARS}Y`,
    from: 'the erasure of the account',
    action: 'keep',
    reason:
      'GDPR Art. 7(1): the controller must be able to demonstrate consent; the append-only ledger keeps the proof under a pseudonym for the limitation period of claims.',
  },
  {
    category: 'audit_events',
    periodDays: LEGAL_RETENTION_YEARS * YEAR_DAYS,
    period: `P${LEGAL_RETENTION_YEARS}Y`,
    from: 'the event',
    action: 'keep',
    reason:
      'GDPR Art. 5(2) accountability: the append-only audit trail of staff access and data-subject requests, pseudonymised on erasure.',
  },
  {
    category: 'privacy_requests',
    periodDays: 3 * YEAR_DAYS,
    period: 'P3Y',
    from: 'the completion of the request',
    action: 'delete',
    reason:
      'GDPR Art. 5(2) accountability: proof that data-subject requests were answered in time, kept pseudonymised for the regular limitation period (3 years).',
  },
  {
    category: 'auth_events',
    periodDays: YEAR_DAYS,
    period: 'P1Y',
    from: 'the event',
    action: 'delete',
    reason:
      'Security monitoring (legitimate interest, GDPR Art. 6(1)(f)); not needed after a year.',
  },
  {
    category: 'refresh_sessions',
    periodDays: 30,
    period: 'P30D',
    from: 'the end of the device session (expiry or revocation)',
    action: 'delete',
    reason: 'Sign-in sessions are kept briefly after they end to investigate token misuse.',
  },
  {
    category: 'one_time_tokens',
    periodDays: 7,
    period: 'P7D',
    from: 'the expiry of the token',
    action: 'delete',
    reason: 'Verification, reset and MFA tokens are useless once expired.',
  },
  {
    category: 'login_failures',
    periodDays: 1,
    period: 'P1D',
    from: 'the last failed sign-in from the address, or the end of its lock if later',
    action: 'delete',
    reason: 'Failed sign-in counts per address only matter while they can still lock the pair.',
  },
  {
    category: 'oauth_login_flows',
    periodDays: 1,
    period: 'P1D',
    from: 'the expiry of the sign-in flow',
    action: 'delete',
    reason: 'OpenID Connect state, nonce and PKCE verifier are useless once the flow expired.',
  },
  {
    category: 'document_files_rejected',
    periodDays: 90,
    period: 'P90D',
    from: 'the rejection of the travel document',
    action: 'delete',
    reason:
      'Data minimisation (GDPR Art. 5(1)(c)): scans of a rejected document are kept long enough to answer a complaint about the decision, then deleted; the document and its review history stay.',
  },
  {
    category: 'inactive_travel_sessions',
    periodDays: 2 * YEAR_DAYS,
    period: 'P2Y',
    from: 'the last activity of an abandoned or archived planning session',
    action: 'delete',
    reason:
      'Storage limitation (GDPR Art. 5(1)(e)): trips nobody plans any more are deleted with their messages and saved items.',
  },
];

export function retentionPolicy(category: string): RetentionPolicy | undefined {
  return RETENTION_POLICIES.find((policy) => policy.category === category);
}
