import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { loadConfig } from '#config/app-config.js';
import { TokenService } from './token.service.js';

describe('TokenService', () => {
  const config = loadConfig({ NODE_ENV: 'test', VAR_DIR: '/tmp' });
  const tokens = new TokenService(config);

  it('formats and parses refresh tokens, refusing anything else', () => {
    const sid = randomUUID();
    const secret = tokens.newRefreshSecret();
    const token = tokens.formatRefresh(sid, 7, secret);
    expect(tokens.parseRefresh(token)).toEqual({ sessionId: sid, counter: 7, secret });
    for (const bad of [
      '',
      'rt1',
      `rt1.${sid}.x.${secret}`,
      `rt2.${sid}.1.${secret}`,
      `${token}x`,
    ]) {
      expect(tokens.parseRefresh(bad)).toBeNull();
    }
  });

  it('derives successors deterministically and differently per secret', () => {
    const a = tokens.newRefreshSecret();
    const b = tokens.newRefreshSecret();
    expect(tokens.nextRefreshSecret(a)).toBe(tokens.nextRefreshSecret(a));
    expect(tokens.nextRefreshSecret(a)).not.toBe(tokens.nextRefreshSecret(b));
    expect(tokens.nextRefreshSecret(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signs identical access tokens for identical inputs, HS256 with iss/aud/sub/sid/exp', () => {
    const sid = randomUUID();
    const user = randomUUID();
    const at = new Date('2026-01-01T00:00:00.500Z');
    const session = {
      userId: user,
      id: sid,
      rotationCounter: 3,
      rotatedAt: at,
      authTime: new Date('2025-12-31T23:50:00.000Z'),
      amr: ['pwd', 'otp'],
    };
    const token = tokens.signAccess(session);
    expect(tokens.signAccess({ ...session })).toBe(token);
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header.alg).toBe('HS256');
    expect(decoded?.payload).toMatchObject({
      sub: user,
      sid,
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
      iat: 1767225600,
      exp: 1767225600 + config.JWT_ACCESS_TTL_SECONDS,
      auth_time: 1767225000,
      amr: ['pwd', 'otp'],
    });
  });
});
