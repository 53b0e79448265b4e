import { describe, expect, it } from '@jest/globals';
import { csvCell, escapeFormula } from './csv-safety.js';

describe('escapeFormula (spreadsheet formula injection)', () => {
  it.each<[string, string]>([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['\rReturn', "'\rReturn"],
    ['Mozilla/5.0', 'Mozilla/5.0'],
    ['a=b', 'a=b'],
    [' =x', ' =x'],
    ['', ''],
    ["'already", "'already"],
  ])('%j → %j', (input, expected) => {
    expect(escapeFormula(input)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [null, ''],
    [undefined, ''],
    [-3, '-3'],
    [42, '42'],
    [new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02T03:04:05.006Z'],
    ['=1+1', "'=1+1"],
  ])('csvCell(%p) → %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});
