import { describe, expect, it } from '@jest/globals';
import { signPayload, verifySignature } from './signature.js';

const SECRET = 'whsec_0123456789abcdef';
const body = Buffer.from('{"id":"evt_1","type":"booking.confirmed"}');
const now = new Date('2026-12-01T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);

const rejects = (header: string | undefined, raw = body, secrets = [SECRET]): void => {
  expect(() => verifySignature(header, raw, secrets, now)).toThrow(
    expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
  );
};

describe('provider event signatures', () => {
  it('accepts its own signature, also among several v1 values and secrets', () => {
    const header = signPayload(SECRET, body, t);
    expect(() => verifySignature(header, body, [SECRET], now)).not.toThrow();
    expect(() =>
      verifySignature(`${header},v1=${'0'.repeat(64)}`, body, ['other-secret-xxxxx', SECRET], now),
    ).not.toThrow();
  });

  it('refuses a missing, malformed, wrong, tampered or stale signature', () => {
    rejects(undefined);
    rejects('');
    rejects('v1=abc');
    rejects(`t=${t}`);
    rejects(signPayload('another-secret-123', body, t));
    rejects(signPayload(SECRET, body, t), Buffer.from('{"id":"evt_2","type":"booking.confirmed"}'));
    rejects(signPayload(SECRET, body, t - 301));
    rejects(signPayload(SECRET, body, t + 301));
    rejects(signPayload(SECRET, body, t), body, []);
  });

  it('accepts a timestamp within 300 s either way', () => {
    expect(() =>
      verifySignature(signPayload(SECRET, body, t - 300), body, [SECRET], now),
    ).not.toThrow();
    expect(() =>
      verifySignature(signPayload(SECRET, body, t + 299), body, [SECRET], now),
    ).not.toThrow();
  });
});
