import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { grantConsent } from '../factories/consents.js';
import { createStaff, createVerifiedUser, type TestUser } from '../factories/users.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const BAD = 'not-a-uuid';
const TRAVELER = '3f0f6d1e-8a3b-4c2d-9e4f-5a6b7c8d9e0f';

/** `@UuidParam`: a malformed id answers the same problem in every module. */
describe('malformed UUID path parameters', () => {
  let ctx: TestApp;
  let user: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp();
    user = await createVerifiedUser(ctx);
    for (const purpose of ['travel_planning', 'travel_documents', 'travel_booking']) {
      await grantConsent(ctx, user, purpose);
    }
    admin = await createStaff(ctx, ['admin']);
  });

  afterAll(async () => {
    await ctx.close();
  });

  const cases: [string, 'get' | 'delete' | 'post', string, 'user' | 'admin', string][] = [
    ['sessions', 'get', `/sessions/${BAD}`, 'user', 'id'],
    [
      'sessions (saved items)',
      'delete',
      `/sessions/${TRAVELER}/saved-items/${BAD}`,
      'user',
      'itemId',
    ],
    ['travelers', 'get', `/travelers/${BAD}`, 'user', 'id'],
    [
      'travelers (documents)',
      'get',
      `/travelers/${TRAVELER}/documents/${BAD}`,
      'user',
      'documentId',
    ],
    ['profiles (documents)', 'get', `/profile/documents/${BAD}`, 'user', 'id'],
    ['bookings', 'get', `/bookings/${BAD}`, 'user', 'id'],
    ['auth (device sessions)', 'delete', `/auth/sessions/${BAD}`, 'user', 'id'],
    ['auth (admin users)', 'get', `/admin/users/${BAD}`, 'admin', 'id'],
    ['documents (admin review)', 'get', `/admin/documents/${BAD}`, 'admin', 'id'],
  ];

  it.each(cases)('%s: %s %s → 400 VALIDATION_FAILED naming the parameter', async (...args) => {
    const [, method, path, who, parameter] = args;
    const caller = who === 'admin' ? admin : user;
    const response = await ctx.http()[method](`${API_PREFIX}${path}`).set(caller.authHeader);
    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(response.body.errors).toEqual({ [parameter]: ['must be a UUID'] });
  });
});
