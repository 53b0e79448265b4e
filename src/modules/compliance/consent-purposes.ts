import { registerEnum } from '../../../libs/common/enum-registry.js';

/**
 * Consent purposes. A code vocabulary (routes name them in `@RequiresConsent(...)`), held in the
 * database as the Postgres enum `consent_purpose`; a new purpose needs a migration and a notice.
 */
export const CONSENT_PURPOSES = [
  'travel_planning',
  'travel_documents',
  'travel_booking',
  'marketing',
  'analytics',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_DECISIONS = ['granted', 'withdrawn'] as const;
export type ConsentDecisionKind = (typeof CONSENT_DECISIONS)[number];

export function isConsentPurpose(value: string): value is ConsentPurpose {
  return (CONSENT_PURPOSES as readonly string[]).includes(value);
}

registerEnum('consent_purpose', CONSENT_PURPOSES);
