import { describe, expect, it } from '@jest/globals';
import { LENIENT_MATTERS, lenientMatterProblem, lenientMattersInForce } from './lenient-lists.js';

/**
 * Laws whose dates of force we know (the day a law took effect, the last day before it was
 * repealed or replaced), by a text that names exactly that law in a legal basis.
 */
const LAWS: { cite: string; from: string; until: string | null }[] = [
  { cite: '《中华人民共和国市场主体登记管理条例》', from: '2022-03-01', until: null },
  { cite: '《中华人民共和国公司登记管理条例》', from: '1994-07-01', until: '2022-02-28' },
  { cite: '《食品经营许可和备案管理办法》', from: '2023-12-01', until: null },
  { cite: '《食品经营许可管理办法》', from: '2015-10-01', until: '2023-11-30' },
  { cite: '《明码标价和禁止价格欺诈规定》', from: '2022-07-01', until: null },
  { cite: '《关于商品和服务实行明码标价的规定》', from: '2001-01-01', until: '2022-06-30' },
  { cite: '《中华人民共和国电子商务法》', from: '2019-01-01', until: null },
  { cite: '《中华人民共和国价格法》', from: '1998-05-01', until: null },
  { cite: '《中华人民共和国行政强制法》', from: '2012-01-01', until: null },
  // the 2021 revision numbered 从轻、减轻 第三十二条 and 不予处罚 第三十三条 (before: 第二十七条)
  { cite: '《中华人民共和国行政处罚法》第三十二条', from: '2021-07-15', until: null },
  { cite: '《中华人民共和国行政处罚法》第三十三条', from: '2021-07-15', until: null },
];

describe('lenient lists: every entry cites laws in force during its own dates', () => {
  it('no entry cites a law younger than itself, or one repealed while it is still in force', () => {
    const anachronisms: string[] = [];
    let checked = 0;
    for (const m of LENIENT_MATTERS)
      for (const law of LAWS.filter((l) => m.legalBasis.includes(l.cite))) {
        checked++;
        if (law.from > m.inForceFrom)
          anachronisms.push(`${m.code} (from ${m.inForceFrom}) cites ${law.cite} (from ${law.from})`);
        if (law.until !== null && (m.inForceUntil === null || m.inForceUntil > law.until))
          anachronisms.push(
            `${m.code} (until ${m.inForceUntil ?? 'open'}) cites ${law.cite} (until ${law.until})`,
          );
      }
    expect(anachronisms).toEqual([]);
    expect(checked).toBeGreaterThan(8);
  });

  it('a matter whose law was replaced continues under the new law without a gap', () => {
    const licence = LENIENT_MATTERS.filter((m) => m.matter.startsWith('未将营业执照置于'));
    expect(licence.map((m) => [m.code, m.inForceFrom, m.inForceUntil])).toEqual([
      ['SH-NP-2019-01', '2019-03-15', '2021-07-14'],
      ['SH-NP-2021-01', '2021-07-15', '2022-02-28'],
      ['SH-NP-2022-01', '2022-03-01', null],
    ]);
    expect(lenientMattersInForce('2023-11-30', 'first_offence').map((m) => m.code)).toContain(
      'SH-FO-2021-02',
    );
    expect(lenientMatterProblem('SH-FO-2021-02', 'first_offence', '2023-12-01')).toContain('不在施行期内');
    expect(lenientMatterProblem('SH-FO-2023-01', 'first_offence', '2023-12-01')).toBeNull();
    expect(lenientMatterProblem('SH-FO-2022-01', 'first_offence', '2022-07-01')).toBeNull();
  });

  it('codes are unique', () => {
    const codes = LENIENT_MATTERS.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
