import { describe, expect, it } from '@jest/globals';
import { NoticeItemFacts, noticeSections } from './compliance-notice.js';

const item = (code: string, department: string, industries: string[], active = true): NoticeItemFacts => ({
  code,
  name: `事项${code}`,
  department,
  legalBasis: '依据',
  checkMethod: 'on_site',
  industries,
  requirements: [`${code} 要求`],
  active,
});

describe('the compliance notice for an industry', () => {
  const items = [
    item('F-02', 'fire', []),
    item('M-02', 'market', ['H62']),
    item('M-01', 'market', ['H']),
    item('M-03', 'market', ['F52']),
    item('H-01', 'health', ['H6210']),
    item('M-09', 'market', [], false),
  ];
  it('keeps the active items whose industries prefix the enterprise’s code, by department order', () => {
    const s = noticeSections('H6210', items, ['market', 'health', 'fire']);
    expect(s.map((x) => x.department)).toEqual(['market', 'health', 'fire']);
    expect(s[0]!.items.map((i) => i.code)).toEqual(['M-01', 'M-02']);
    expect(s[1]!.items.map((i) => i.code)).toEqual(['H-01']);
  });
  it('another industry gets other items; no industry code: only items for every industry', () => {
    expect(noticeSections('F5261', items, ['market']).flatMap((x) => x.items.map((i) => i.code))).toEqual([
      'M-03',
      'F-02',
    ]);
    expect(noticeSections(null, items, []).flatMap((x) => x.items.map((i) => i.code))).toEqual(['F-02']);
  });
  it('an empty list gives an empty notice', () => {
    expect(noticeSections('H62', [], [])).toEqual([]);
  });
});
