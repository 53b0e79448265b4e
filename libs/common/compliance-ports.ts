import type { EntityManager } from 'typeorm';

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
  /** Who made the decision, when not the subject (guardian, staff). */
  actorId?: string | null;
  purpose: string;
  /** Notice version the decision refers to; must exist (else 422 UNKNOWN_NOTICE_VERSION). */
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
