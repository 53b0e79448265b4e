import { describe, expect, it } from '@jest/globals';
import { grantCounts, type LatestDecision, type PurposeNotices } from './consent-rules.js';

const granted = (noticeVersion: number): LatestDecision => ({ decision: 'granted', noticeVersion });
const withdrawn = (noticeVersion: number): LatestDecision => ({
  decision: 'withdrawn',
  noticeVersion,
});
const notices = (currentVersion: number | null, reconsentFloor: number | null): PurposeNotices => ({
  currentVersion,
  reconsentFloor,
});

describe('grantCounts (consent counting rule)', () => {
  const cases: [string, LatestDecision | null, PurposeNotices, boolean][] = [
    ['no decision at all', null, notices(1, 1), false],
    ['grant of the only version (v1 requires consent)', granted(1), notices(1, 1), true],
    [
      'grant of the only version, no version requires re-consent',
      granted(1),
      notices(1, null),
      true,
    ],
    ['latest decision is a withdrawal', withdrawn(1), notices(1, 1), false],
    ['withdrawal of a newer version after an older grant', withdrawn(2), notices(2, 1), false],
    ['v2 published without re-consent: v1 grant still counts', granted(1), notices(2, 1), true],
    [
      'v3 without re-consent after a re-consent v2: v2 grant counts',
      granted(2),
      notices(3, 2),
      true,
    ],
    ['v2 requires re-consent: v1 grant stops counting', granted(1), notices(2, 2), false],
    ['v2 requires re-consent: v2 grant counts', granted(2), notices(2, 2), true],
    [
      'v3 without re-consent after re-consent v2: v1 grant still stale',
      granted(1),
      notices(3, 2),
      false,
    ],
    ['grant of the current version above the floor', granted(3), notices(3, 2), true],
    ['no notice published for the purpose', granted(1), notices(null, null), false],
  ];

  it.each(cases)('%s', (_name, latest, purposeNotices, expected) => {
    expect(grantCounts(latest, purposeNotices)).toBe(expected);
  });
});
