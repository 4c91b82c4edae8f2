import { describe, expect, it } from '@jest/globals';
import { countOption, dateOption } from './cli-kit.js';

describe('command-line option parsers', () => {
  it('countOption takes whole numbers of 1 or more and names what it refuses', () => {
    expect(countOption('3')).toBe(3);
    expect(countOption('1000000')).toBe(1_000_000);
    for (const bad of ['0', 'abc', '2.5', '-1', ''])
      expect(() => countOption(bad)).toThrow(`'${bad}' is not a whole number of 1 or more`);
  });
  it('dateOption takes real dates only', () => {
    expect(dateOption('2012-01-01')).toBe('2012-01-01');
    expect(() => dateOption('2012-13-01')).toThrow("'2012-13-01' is not a date YYYY-MM-DD");
  });
});
