import { describe, expect, it } from '@jest/globals';
import { activeContentOf } from './file-content.js';

describe('activeContentOf (PDF)', () => {
  const pdf = (body: string): Buffer => Buffer.from(`%PDF-1.4\n${body}\n%%EOF`, 'latin1');

  it('finds JavaScript, JS, Launch and RichMedia names, also #xx-escaped', () => {
    expect(activeContentOf(pdf('<< /S /JavaScript /JS (app.alert(1)) >>'))).toBe('JavaScript');
    expect(activeContentOf(pdf('<< /OpenAction << /JS 5 0 R >> >>'))).toBe('JS');
    expect(activeContentOf(pdf('<< /S /J#61vaScript >>'))).toBe('JavaScript');
    expect(activeContentOf(pdf('<< /S /Launch /F (cmd.exe) >>'))).toBe('Launch');
    expect(activeContentOf(pdf('<< /Type /RichMedia >>'))).toBe('RichMedia');
  });

  it('leaves plain documents alone (names that merely start alike included)', () => {
    expect(activeContentOf(pdf('<< /Type /Catalog /Pages 2 0 R /JSONish 1 >>'))).toBeNull();
    expect(activeContentOf(pdf('(a text mentioning JavaScript without a slash)'))).toBeNull();
  });
});
