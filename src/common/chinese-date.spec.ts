import { describe, expect, it } from '@jest/globals';
import { DateParseError, parseSourceDate } from './chinese-date.js';

describe('parseSourceDate', () => {
  it.each([
    ['2015-08-05', '2015-08-05'],
    ['2015/8/5', '2015-08-05'],
    ['20150805', '2015-08-05'],
    ['2015-08-05 10:00:00', '2015-08-05'],
    ['2015年8月5日', '2015-08-05'],
    ['二〇一七年十月二十三日', '2017-10-23'],
    ['二〇一八年一月一日', '2018-01-01'],
    ['二〇一六年十二月三十一日', '2016-12-31'],
    ['二〇一九年二月十日', '2019-02-10'],
    ['二零一九年三月十五日', '2019-03-15'],
    ['二○一七年五月八日', '2017-05-08'], // U+25CB for zero, as in the Jinan court data
    ['二〇二〇年二月二十九日', '2020-02-29'],
  ])('%s -> %s', (input, expected) => {
    expect(parseSourceDate(input)).toBe(expected);
  });

  it.each(['', '   '])('blank %j gives null', (input) => {
    expect(parseSourceDate(input)).toBeNull();
  });

  it.each([
    '2019-02-30',
    '二〇一九年二月三十日',
    '二〇一九年十三月一日',
    'yesterday',
    '2019-13-01',
    '二〇一九年二十一月一日',
  ])('%s is rejected with the input in the message', (input) => {
    expect(() => parseSourceDate(input)).toThrow(DateParseError);
    expect(() => parseSourceDate(input)).toThrow(input);
  });
});
