import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import helmet from 'helmet';
import { HELMET_OPTIONS, helmetHeaders } from './security-headers.js';

describe('helmetHeaders', () => {
  it('are exactly what the helmet middleware sets on a real response', () => {
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    helmet(HELMET_OPTIONS)(request, response, () => undefined);
    const expected = Object.fromEntries(
      Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
    );
    expect(helmetHeaders(HELMET_OPTIONS)).toEqual(expected);
    expect(expected['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(expected['x-powered-by']).toBeUndefined();
  });
});
