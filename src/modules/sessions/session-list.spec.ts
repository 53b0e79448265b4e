import { describe, expect, it } from '@jest/globals';
import { shiftParams } from '#libs/common/auth/owned-read.js';
import { encodeCursor } from '#libs/common/pagination/pagination.js';
import {
  SESSION_OWNED_LIST,
  sessionListKey,
  sessionListRequest,
  sessionListRequestFromRaw,
  sessionListSql,
} from './session-list.js';

const OWNER = '6f1c2a3e-8a47-4c59-9d1e-0b7c1f2e3d4a';
const CURSOR = encodeCursor([
  '2027-01-02T03:04:05.123456Z',
  '0b7c1f2e-3d4a-4c59-9d1e-6f1c2a3e8a47',
]);

describe('session list: the raw query the bearer-token check may fold', () => {
  it('gives the same key as the validated query for plain lists and searches', () => {
    const queries = [
      {},
      { planContains: '{"destinationCity":"Lisbon","tags":["museums"]}' },
      { status: 'active', limit: '5', cursor: CURSOR },
      { destination: 'Porto', from: '2027-05-01', to: '2027-05-31' },
    ];
    for (const raw of queries) {
      const folded = sessionListRequestFromRaw(raw);
      expect(folded).not.toBeNull();
      const validated = sessionListRequest({
        ...raw,
        limit: 'limit' in raw ? Number(raw.limit) : undefined,
      } as never);
      expect(sessionListKey(folded!)).toBe(sessionListKey(validated));
    }
  });

  it('answers null (never folds) for anything the route would refuse or does not know', () => {
    const refused: unknown[] = [
      null,
      'status=active',
      { status: ['active', 'archived'] },
      { unknown: '1' },
      { status: 'gone' },
      { limit: '0' },
      { limit: '101' },
      { limit: '1e2' },
      { destination: '' },
      { from: '2027-5-1' },
      { from: '2027-06-01', to: '2027-05-01' },
      { planContains: 'not json' },
      { planContains: '[1]' },
      { cursor: 'bm9wZQ' },
    ];
    for (const raw of refused) {
      expect([raw, sessionListRequestFromRaw(raw)]).toEqual([raw, null]);
      expect(SESSION_OWNED_LIST.statement(raw, OWNER, 3)).toBeNull();
    }
  });

  it('numbers the list parameters after the liveness check ones; values stay parameters', () => {
    const statement = SESSION_OWNED_LIST.statement(
      { planContains: '{"destinationCity":"x\' OR 1=1 --"}', cursor: CURSOR },
      OWNER,
      3,
    );
    expect(statement).not.toBeNull();
    expect(statement!.params[0]).toBe(OWNER);
    expect(statement!.params).toHaveLength(4);
    expect(statement!.text).toContain('"s"."user_id" = $3');
    expect(statement!.text).toContain('CAST($4 AS jsonb)');
    expect(statement!.text).toContain('(CAST($5 AS timestamptz), CAST($6 AS uuid))');
    expect(statement!.text).not.toMatch(/\$1\b|\$2\b/);
    expect(statement!.text).not.toContain('OR 1=1');
    const standalone = sessionListSql(OWNER, sessionListRequestFromRaw({ cursor: CURSOR })!);
    expect(standalone.text).toContain('"s"."user_id" = $1');
    expect(shiftParams('a = $1 AND b = $12', 3)).toBe('a = $3 AND b = $14');
  });
});
