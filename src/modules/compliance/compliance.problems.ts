import { unprocessable, type ProblemException } from '#libs/common/errors/problem.exception.js';
import { CONSENT_PURPOSES } from './consent-purposes.js';

export const unknownPurpose = (purpose: string): ProblemException =>
  unprocessable('UNKNOWN_CONSENT_PURPOSE', `There is no consent purpose "${purpose}".`, {
    purpose,
    purposes: [...CONSENT_PURPOSES],
  });

export const unknownNoticeVersion = (purpose: string, version: number): ProblemException =>
  unprocessable(
    'UNKNOWN_NOTICE_VERSION',
    `Version ${version} of the "${purpose}" notice has not been published.`,
    { purpose, version },
  );

export const noticeVersionNotCurrent = (
  purpose: string,
  version: number,
  currentVersion: number,
): ProblemException =>
  unprocessable(
    'NOTICE_VERSION_NOT_CURRENT',
    `A grant must refer to the current "${purpose}" notice (version ${currentVersion}), not version ${version}.`,
    { purpose, version, currentVersion },
  );
