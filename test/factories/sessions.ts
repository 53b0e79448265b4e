import { expect } from '@jest/globals';
import type { TestApp } from '../utils/test-app.js';
import type { TestUser } from './users.js';

/**
 * POST /sessions for `user` (who must have granted `travel_planning`): titled "Lisbon" unless
 * `body` says otherwise (`message` opens the chat). Expects 201 and returns the session's id.
 */
export async function createSession(
  ctx: TestApp,
  user: TestUser,
  body: { title?: string; message?: string } = {},
): Promise<string> {
  const response = await ctx
    .http()
    .post('/api/v1/sessions')
    .set(user.authHeader)
    .send({ title: 'Lisbon', ...body });
  expect(response.status).toBe(201);
  return response.body.id as string;
}
