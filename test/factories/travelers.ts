import { expect } from '@jest/globals';
import type { TestApp } from '../utils/test-app.js';
import type { TestUser } from './users.js';

type Body = Record<string, unknown>;

/** The date (UTC, YYYY-MM-DD) `years` years before today: a birth date of that age. */
export function yearsAgo(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return date.toISOString().slice(0, 10);
}

/**
 * POST /travelers for `user`: Ana Silva, 30 years old, unless `body` says otherwise (a minor:
 * `{ dateOfBirth: yearsAgo(8) }`). Expects 201 and returns the traveler's id.
 */
export async function createTraveler(
  ctx: TestApp,
  user: TestUser,
  body: Body = {},
): Promise<string> {
  const response = await ctx
    .http()
    .post('/api/v1/travelers')
    .set(user.authHeader)
    .send({ firstName: 'Ana', lastName: 'Silva', dateOfBirth: yearsAgo(30), ...body });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

/** `user` (the guardian) grants guardian consent for the minor `travelerId`; expects 200. */
export async function grantGuardianConsent(
  ctx: TestApp,
  user: TestUser,
  travelerId: string,
  guardianName = 'Ana Silva',
): Promise<void> {
  const response = await ctx
    .http()
    .post(`/api/v1/travelers/${travelerId}/guardian-consent`)
    .set(user.authHeader)
    .send({ granted: true, guardianName, relationship: 'parent' });
  expect(response.status).toBe(200);
}
