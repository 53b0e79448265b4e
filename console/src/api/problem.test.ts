import { describe, expect, it } from 'vitest';
import { ApiError, fieldError, formError, toProblem } from './problem';

const validation = new ApiError(
  toProblem(400, {
    type: 'about:blank',
    title: 'Validation failed',
    status: 400,
    detail: 'Invalid: reason, note',
    code: 'VALIDATION_FAILED',
    errors: { reason: ['reason must be longer'], 'note.text': ['too long'] },
  }),
);

describe('problem details mapping', () => {
  it('keeps the code, detail and field errors of a problem body', () => {
    expect(validation.problem.code).toBe('VALIDATION_FAILED');
    expect(validation.status).toBe(400);
    expect(fieldError(validation, 'reason')).toBe('reason must be longer');
    expect(fieldError(validation, 'note')).toBe('too long');
    expect(fieldError(validation, 'purpose')).toBeUndefined();
  });

  it('shows the detail at form level only when some field error has no control', () => {
    expect(formError(validation, ['reason', 'note'])).toBeUndefined();
    expect(formError(validation, ['reason'])).toBe('Invalid: reason, note');
    expect(formError(null)).toBeUndefined();
  });

  it('never surfaces a raw body: HTML error pages and empty bodies become plain sentences', () => {
    const html = toProblem(502, '<html>Bad gateway</html>');
    expect(html).toEqual({
      title: 'The server failed. Try again in a moment.',
      status: 502,
      code: 'HTTP_502',
    });
    expect(toProblem(429, undefined).title).toMatch(/Too many attempts/);
    expect(toProblem(403, { unexpected: true }).code).toBe('HTTP_403');
  });

  it('puts a code-only problem about one control next to that control', () => {
    const wrongCode = new ApiError(
      toProblem(400, {
        title: 'Invalid code',
        detail: 'The code is wrong.',
        code: 'INVALID_MFA_CODE',
      }),
    );
    expect(fieldError(wrongCode, 'code')).toBe('The code is wrong.');
    expect(formError(wrongCode, ['code'])).toBeUndefined();
    expect(formError(wrongCode, [])).toBe('The code is wrong.');
  });

  it('drops malformed field errors instead of rendering them', () => {
    const problem = toProblem(400, {
      title: 'Bad',
      code: 'X',
      errors: { a: 'not-a-list', b: [1, 'ok'] },
    });
    expect(problem.errors).toEqual({ b: ['ok'] });
  });
});
