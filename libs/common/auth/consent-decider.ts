export interface ConsentDecision {
  readonly granted: boolean;
  readonly purpose: string;
  /** The notice version the caller must have granted (the current one), if a notice exists. */
  readonly currentVersion: number | null;
}

/**
 * Answers whether a subject holds a live consent grant for a purpose. The compliance module
 * provides it under `CONSENT_DECIDER`; libs/common only knows this interface.
 */
export interface ConsentDecider {
  decide(subjectId: string, purpose: string): Promise<ConsentDecision>;
}

export const CONSENT_DECIDER = Symbol('CONSENT_DECIDER');
