import { describe, expect, it } from '@jest/globals';
import { DateParseError, parseSourceDate, readSourceDate } from './chinese-date.js';

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

describe('readSourceDate: every form of the one date parser', () => {
  it.each([
    ['2023-05-01', '2023-05-01'],
    ['2023/5/1', '2023-05-01'],
    ['2023.05.01', '2023-05-01'],
    ['20230501', '2023-05-01'],
    ['2023年5月1日', '2023-05-01'],
    ['2023年05月01号', '2023-05-01'],
    ['二〇二三年五月一日', '2023-05-01'],
    ['二零二三年十二月三十一日', '2023-12-31'],
    // date-times: with an offset, the Shanghai day of the instant; without, their own date
    ['2023-05-01T10:00:00', '2023-05-01'],
    ['2023-05-01 23:59', '2023-05-01'],
    ['2023-05-01T15:59:59Z', '2023-05-01'],
    ['2023-05-01T16:00:00Z', '2023-05-02'], // 00:00 in Shanghai: crosses midnight forwards
    ['2023-05-01T20:00:00-05:00', '2023-05-02'], // 09:00 next day in Shanghai
    ['2023-05-01T07:59:00+08:00', '2023-05-01'],
    ['2023-05-01T01:00:00+09:00', '2023-05-01'], // 00:00 in Shanghai
    ['2023-05-01T00:30:00+09:00', '2023-04-30'], // 23:30 the day before in Shanghai: backwards
    ['2023-01-01T00:00:00.000+1400', '2022-12-31'],
    ['2024-02-29T12:00:00+0800', '2024-02-29'],
    ['2023-12-31T16:00:00Z', '2024-01-01'], // crosses a year
  ])('%s -> %s (exact)', (input, date) => {
    expect(readSourceDate(input)).toEqual({ date, estimated: false });
  });

  it.each([
    ['2015-08', '2015-08-01'],
    ['2015/8', '2015-08-01'],
    ['2015年08月', '2015-08-01'],
    ['2015年8月份', '2015-08-01'],
    ['二〇一五年八月', '2015-08-01'],
    ['二〇一五年十二月', '2015-12-01'],
  ])('month-only %s -> the first day %s, estimated', (input, date) => {
    expect(readSourceDate(input)).toEqual({ date, estimated: true });
  });

  it.each([
    ['1', '1900-01-01'],
    ['59', '1900-02-28'],
    ['61', '1900-03-01'],
    ['36526', '2000-01-01'],
    ['45047', '2023-05-01'],
    ['45047.75', '2023-05-01'], // a time of day in the fraction
    ['73050', '2099-12-31'],
  ])('Excel serial %s -> %s in a date column', (input, date) => {
    expect(readSourceDate(input, { excelSerial: true })).toEqual({ date, estimated: false });
  });

  it("refuses serial 60, Excel's fake 1900-02-29, and serial 0", () => {
    expect(() => readSourceDate('60', { excelSerial: true })).toThrow(/1900-02-29, a day that did not exist/);
    expect(() => readSourceDate('0', { excelSerial: true })).toThrow(/start at 1/);
  });

  it('refuses a bare number where serials are not allowed (the API)', () => {
    expect(() => readSourceDate('45047')).toThrow(/a number, not a date/);
  });

  it.each([
    '2023-02-30',
    '2023年2月30日',
    '二〇二三年二月三十日',
    '2023-02-29',
    '2023-13',
    '2023年0月',
    '二〇二三年十三月',
    '2023-05-01T24:00:00Z',
    '2023-05-01T10:60:00Z',
    '2023-05-01T10:00:00+15:00',
    '2023-05-01Tnoon',
    '1899-12-31',
    '2200-01-01',
    '20230230',
    '5/1/2023',
  ])('%s is refused, naming the input', (input) => {
    expect(() => readSourceDate(input, { excelSerial: true })).toThrow(DateParseError);
    expect(() => readSourceDate(input, { excelSerial: true })).toThrow(input);
  });

  it('blank gives null', () => {
    expect(readSourceDate('  ')).toBeNull();
    expect(readSourceDate(undefined)).toBeNull();
  });
});
