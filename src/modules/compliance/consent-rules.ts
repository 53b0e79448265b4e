import type { ConsentDecisionKind } from './consent-purposes.js';

/** The subject's latest own decision for one purpose (guardian decisions for travelers excluded). */
export interface LatestDecision {
  decision: ConsentDecisionKind;
  noticeVersion: number;
}

export interface PurposeNotices {
  /** Highest published version of the purpose, null when none is published. */
  currentVersion: number | null;
  /** Highest published version that requires re-consent, null when none does. */
  reconsentFloor: number | null;
}

/**
 * PRODUCT.md "Precise rules": a grant counts while it is the subject's latest decision for the
 * purpose AND its notice version is not older than the latest version of that purpose that
 * requires re-consent. A new version without re-consent leaves earlier grants valid.
 */
export function grantCounts(latest: LatestDecision | null, notices: PurposeNotices): boolean {
  if (notices.currentVersion === null) return false;
  if (!latest || latest.decision !== 'granted') return false;
  return notices.reconsentFloor === null || latest.noticeVersion >= notices.reconsentFloor;
}
