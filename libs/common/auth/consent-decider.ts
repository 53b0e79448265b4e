export interface ConsentDecision {
  readonly granted: boolean;
  readonly purpose: string;
  /** The notice version the caller must have granted (the current one), if a notice exists. */
  readonly currentVersion: number | null;
}

/**
 * The same decision as a SQL fragment, so the bearer-token check can read it in the SAME round
 * trip as the session liveness on `@RequiresConsent` routes (bench/RESULTS.md, scenario 1).
 * Still read from the database on every request: nothing is cached, so a withdrawal applies to
 * the next request on every instance.
 */
export interface ConsentDecisionSql {
  /** Only known purposes may be bound (the parameter is a database enum). */
  knows(purpose: string): boolean;
  /**
   * A subquery that yields exactly one row for the subject and purpose given as SQL parameter
   * references (e.g. `'$2'`, `'$3'`); its columns do not clash with `status`, `roles`,
   * `email_verified`.
   */
  subquery(subjectParam: string, purposeParam: string): string;
  /** The decision from a row holding the subquery's columns. */
  read(row: object, purpose: string): ConsentDecision;
}

/**
 * Answers whether a subject holds a live consent grant for a purpose. The compliance module
 * provides it under `CONSENT_DECIDER`; libs/common only knows this interface.
 */
export interface ConsentDecider {
  decide(subjectId: string, purpose: string): Promise<ConsentDecision>;
  /** When present, the bearer authenticator folds the decision into its liveness query. */
  readonly sql?: ConsentDecisionSql;
}

export const CONSENT_DECIDER = Symbol('CONSENT_DECIDER');

/**
 * Put on the request by the bearer authenticator when it read the route's consent decision together with
 * the session; the ConsentGuard uses it (for that subject and purpose only) instead of querying.
 */
export interface PrefetchedConsent {
  readonly subjectId: string;
  readonly decision: ConsentDecision;
}
