import type { EntityManager } from 'typeorm';
import type { ConsentDecision } from './auth/consent-decider.js';

/**
 * Ports the compliance module implements and provides globally. Feature modules inject them by
 * token (never the compliance classes), so compliance core stays independent of who calls it.
 * Pass `manager` to write inside the caller's transaction.
 */

export const CONSENT_SOURCES = ['api', 'registration', 'guardian'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentDecisionInput {
  /** The user the decision is about (for guardian consent: the guardian's user id). */
  subjectId: string;
  /** For guardian consent: the traveler the consent is given for. */
  travelerId?: string | null;
  /**
   * Who made the decision, when not the subject (staff). The subject itself (a guardian giving
   * consent for a traveler) is stored as null: the id would be hashed into the consent chain and
   * could not be pseudonymised on erasure.
   */
  actorId?: string | null;
  purpose: string;
  /**
   * Notice version the decision refers to; must exist (else 422 UNKNOWN_NOTICE_VERSION). A grant
   * must name the purpose's current version (else 422 NOTICE_VERSION_NOT_CURRENT); a withdrawal
   * may name any published one. Unknown purpose → 422 UNKNOWN_CONSENT_PURPOSE.
   */
  version: number;
  granted: boolean;
  source: ConsentSource;
  ip?: string | null;
  userAgent?: string | null;
}

export interface ConsentRecorder {
  record(input: ConsentDecisionInput, manager?: EntityManager): Promise<void>;
}

export const CONSENT_RECORDER = Symbol('CONSENT_RECORDER');

/**
 * Guardian consent, as recorded through CONSENT_RECORDER with `source: 'guardian'`,
 * `subjectId` = the guardian (the user), `travelerId` = the traveler. Answers whether the
 * guardian's latest decision for that traveler and purpose is a grant that counts (the same rule
 * as for own consent: latest decision, version not older than the last re-consent version).
 * The guardian's own consent (`CONSENT_DECIDER`) and guardian consent never count for each other.
 */
export interface GuardianConsents {
  decide(guardianId: string, travelerId: string, purpose: string): Promise<ConsentDecision>;
  /**
   * The same answer for several travelers of one guardian, in ONE query (keyed by traveler id;
   * every id given has an entry). Pass `manager` to read on the caller's transaction connection
   * (a booking re-checks its travelers inside its transaction).
   */
  decideMany(
    guardianId: string,
    travelerIds: readonly string[],
    purpose: string,
    manager?: EntityManager,
  ): Promise<Map<string, ConsentDecision>>;
}

export const GUARDIAN_CONSENTS = Symbol('GUARDIAN_CONSENTS');

export interface AuditEventInput {
  actorId: string | null;
  actorRoles: readonly string[];
  /** dotted verb, e.g. `document.reveal`, `user.suspend`, `consent.export` */
  action: string;
  subjectId?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  reason?: string | null;
  requestId?: string | null;
}

export interface AuditLog {
  record(event: AuditEventInput, manager?: EntityManager): Promise<void>;
}

export const AUDIT_LOG = Symbol('AUDIT_LOG');
