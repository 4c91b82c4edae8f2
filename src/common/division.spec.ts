import { describe, expect, it } from '@jest/globals';
import { describeDivision, divisionContains, divisionsAgree, findDivision } from './division.js';
import { GB2260_DIVISIONS } from './gb2260-divisions.data.js';

describe('GB/T 2260 division list', () => {
  it('has the current codes of every level', () => {
    expect(findDivision('310000')).toEqual({ code: '310000', name: '上海市', current: true });
    expect(findDivision('310110')).toEqual({ code: '310110', name: '杨浦区', current: true });
    expect(findDivision('350200')?.name).toBe('厦门市');
    expect(findDivision('370100')?.name).toBe('济南市');
    expect(findDivision('310151')?.name).toBe('崇明区');
  });

  it('keeps codes abolished since 2015 as historical (閘北 merged 2015, 崇明县 became a district 2016)', () => {
    expect(findDivision('310108')).toEqual({ code: '310108', name: '闸北区', current: false });
    expect(findDivision('310230')).toMatchObject({ name: '崇明县', current: false });
  });

  it('does not have codes that are no division', () => {
    for (const code of ['000000', '310199', '999999', '011019', '31011'])
      expect(findDivision(code)).toBeUndefined();
  });

  it('is a well-formed generated list of a few thousand codes', () => {
    const lines = GB2260_DIVISIONS.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3000);
    for (const line of lines) expect(line).toMatch(/^[0-9]{6} [ch] \S/);
  });

  it('describes a division with its province and prefecture', () => {
    expect(describeDivision('310110')).toBe('310110 上海市杨浦区');
    expect(describeDivision('350203')).toBe('350203 福建省厦门市思明区');
    expect(describeDivision('310108')).toBe('310108 上海市闸北区 (historical)');
    expect(describeDivision('999999')).toBe('999999 (not in the GB/T 2260 list)');
  });

  it('a province or prefecture contains its counties; counties only themselves', () => {
    expect(divisionContains('310000', '310110')).toBe(true);
    expect(divisionContains('350200', '350203')).toBe(true);
    expect(divisionContains('310110', '310110')).toBe(true);
    expect(divisionContains('310110', '310000')).toBe(false);
    expect(divisionContains('310110', '310115')).toBe(false);
    expect(divisionContains('350200', '350100')).toBe(false);
    expect(divisionsAgree('310110', '310000')).toBe(true);
    expect(divisionsAgree('310110', '310115')).toBe(false);
  });
});
