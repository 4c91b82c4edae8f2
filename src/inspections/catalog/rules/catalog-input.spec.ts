import { describe, expect, it } from '@jest/globals';
import {
  areaProblems,
  changedItemFields,
  ItemInput,
  itemFromRow,
  itemProblems,
  lockedItemChange,
  parseCheckMethod,
  parseDepartment,
  parseFlag,
  qualificationProblems,
  QualifiableItem,
  recusalBodyProblems,
  reviewProblems,
  reviewRefusal,
  rosterFromRow,
  splitCodes,
  splitTexts,
} from './catalog-input.js';

const good: ItemInput = {
  code: 'YP-SC-01',
  name: '营业执照检查',
  department: 'market',
  legalBasis: '《市场主体登记管理条例》第三十五条',
  checkMethod: 'documents',
  industries: ['H62', 'F'],
  requirements: ['营业执照在显著位置公示', '登记事项与实际一致'],
  fullCoverage: false,
  fullCoveragePerYear: null,
  active: true,
};
const fields = (ps: { field: string }[]) => ps.map((p) => p.field);

describe('itemProblems', () => {
  it('accepts a complete item, and a full-coverage one with its checks a year', () => {
    expect(itemProblems(good)).toEqual([]);
    expect(itemProblems({ ...good, fullCoverage: true, fullCoveragePerYear: 2 })).toEqual([]);
    expect(itemProblems({ ...good, industries: [] })).toEqual([]);
  });

  it('refuses an item of the court: it inspects nothing', () => {
    expect(itemProblems({ ...good, department: 'court' })).toEqual([
      { field: 'department', reason: expect.stringMatching(/^unknown department 'court' \(one of market, /) },
    ]);
  });

  it('names every field at fault at once', () => {
    const bad = {
      ...good,
      code: '-x',
      name: ' ',
      department: 'police',
      legalBasis: '',
      checkMethod: 'phone' as never,
      industries: ['H6', 'Z12', 'H62', 'H62'],
      requirements: ['a', '', 'a'],
      active: 'yes' as never,
    };
    expect(fields(itemProblems(bad))).toEqual([
      'code',
      'name',
      'department',
      'legalBasis',
      'checkMethod',
      'industries[0]',
      'industries[1]',
      'industries[3]',
      'requirements[1]',
      'requirements[2]',
      'active',
    ]);
  });

  it('codes: the schema pattern, 40 characters at most', () => {
    expect(itemProblems({ ...good, code: 'A'.repeat(40) })).toEqual([]);
    expect(fields(itemProblems({ ...good, code: 'A'.repeat(41) }))).toEqual(['code']);
    expect(fields(itemProblems({ ...good, code: 'YP SC' }))).toEqual(['code']);
    expect(fields(itemProblems({ ...good, code: '检查' }))).toEqual(['code']);
  });

  it('texts: limits and unstorable characters', () => {
    expect(itemProblems({ ...good, name: '名'.repeat(100) })).toEqual([]);
    expect(itemProblems({ ...good, name: '名'.repeat(101) })[0]!.reason).toMatch(/longer than 100/);
    expect(fields(itemProblems({ ...good, legalBasis: 'a\u0000b' }))).toEqual(['legalBasis']);
    expect(fields(itemProblems({ ...good, requirements: ['x'.repeat(301)] }))).toEqual(['requirements[0]']);
  });

  it('requirements: at least one, at most 50', () => {
    expect(itemProblems({ ...good, requirements: [] })).toEqual([
      { field: 'requirements', reason: expect.stringMatching(/at least one/) },
    ]);
    const many = Array.from({ length: 51 }, (_, i) => `第${i}条`);
    expect(fields(itemProblems({ ...good, requirements: many }))).toEqual(['requirements']);
    expect(itemProblems({ ...good, requirements: many.slice(0, 50) })).toEqual([]);
  });

  it('full coverage: checks a year exactly when full-coverage, an integer 1..52', () => {
    expect(fields(itemProblems({ ...good, fullCoverage: true, fullCoveragePerYear: null }))).toEqual([
      'fullCoveragePerYear',
    ]);
    expect(fields(itemProblems({ ...good, fullCoverage: true, fullCoveragePerYear: 0 }))).toEqual([
      'fullCoveragePerYear',
    ]);
    expect(fields(itemProblems({ ...good, fullCoverage: true, fullCoveragePerYear: 53 }))).toEqual([
      'fullCoveragePerYear',
    ]);
    expect(fields(itemProblems({ ...good, fullCoverage: true, fullCoveragePerYear: 1.5 }))).toEqual([
      'fullCoveragePerYear',
    ]);
    expect(itemProblems({ ...good, fullCoverage: true, fullCoveragePerYear: 52 })).toEqual([]);
    expect(fields(itemProblems({ ...good, fullCoverage: false, fullCoveragePerYear: 2 }))).toEqual([
      'fullCoveragePerYear',
    ]);
  });

  it('reports under the names given (CSV columns)', () => {
    expect(fields(itemProblems({ ...good, legalBasis: '' }, { legalBasis: 'legal_basis' }))).toEqual([
      'legal_basis',
    ]);
  });
});

describe('item changes', () => {
  it('lists the fields that differ, lists by value', () => {
    expect(changedItemFields(good, { ...good, industries: ['H62', 'F'] })).toEqual([]);
    expect(changedItemFields(good, { ...good, industries: ['F', 'H62'], active: false })).toEqual([
      'industries',
      'active',
    ]);
  });

  it('an item of a published plan: only active may change', () => {
    expect(lockedItemChange(['active'], '2027-market-1', 0)).toBeNull();
    expect(lockedItemChange(['name', 'active'], '2027-market-1', 0)).toMatch(
      /published plan 2027-market-1: only 'active' may change \(not name\)/,
    );
    expect(lockedItemChange(['name'], null, 3)).toBeNull();
    expect(lockedItemChange([], '2027-market-1', 0)).toBeNull();
  });

  it('the department moves only while no inspector is qualified for the item', () => {
    expect(lockedItemChange(['department'], null, 0)).toBeNull();
    expect(lockedItemChange(['department'], null, 2)).toMatch(/2 inspector\(s\) are qualified/);
  });
});

describe('CSV cells', () => {
  it('splits codes and texts', () => {
    expect(splitCodes(' H62; F5229 ；R|P83,O80，I、G ')).toEqual([
      'H62',
      'F5229',
      'R',
      'P83',
      'O80',
      'I',
      'G',
    ]);
    expect(splitCodes('')).toEqual([]);
    expect(splitCodes(undefined)).toEqual([]);
    expect(splitTexts('一；含分号 | 二\n三\r\n\n')).toEqual(['一；含分号', '二', '三']);
  });

  it('reads flags, departments and methods', () => {
    expect([parseFlag('是', false), parseFlag('TRUE', false), parseFlag('1', false)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([parseFlag('否', true), parseFlag('no', true), parseFlag('', true), parseFlag('', false)]).toEqual(
      [false, false, true, false],
    );
    expect(parseFlag('maybe', true)).toBeUndefined();
    expect([
      parseDepartment('market'),
      parseDepartment('杨浦区卫生健康委员会'),
      parseDepartment('x'),
    ]).toEqual(['market', 'health', 'x']);
    expect([parseCheckMethod('现场检查'), parseCheckMethod('data'), parseCheckMethod('?')]).toEqual([
      'on_site',
      'data',
      '?',
    ]);
  });

  it('reads an item row, problems named by column', () => {
    const row = {
      code: ' YP-SC-03 ',
      name: '食品安全日常监督检查',
      department: '市场监督管理局',
      legal_basis: '《食品安全法》第八十七条',
      check_method: '现场检查',
      industries: 'h62;F5229',
      requirements: '许可证在有效期内|从业人员健康证明',
      full_coverage: '是',
      full_coverage_per_year: '2',
      active: '',
    };
    expect(itemFromRow(row)).toEqual({
      item: {
        code: 'YP-SC-03',
        name: '食品安全日常监督检查',
        department: 'market',
        legalBasis: '《食品安全法》第八十七条',
        checkMethod: 'on_site',
        industries: ['H62', 'F5229'],
        requirements: ['许可证在有效期内', '从业人员健康证明'],
        fullCoverage: true,
        fullCoveragePerYear: 2,
        active: true,
      },
      problems: [],
    });
    expect(fields(itemFromRow({ ...row, full_coverage_per_year: 'two', active: 'x' }).problems)).toEqual([
      'active',
      'full_coverage_per_year',
    ]);
    expect(fields(itemFromRow({ ...row, full_coverage: 'perhaps' }).problems)).toEqual(['full_coverage']);
    expect(fields(itemFromRow({ ...row, legal_basis: '', requirements: ' | ' }).problems)).toEqual([
      'legal_basis',
      'requirements',
    ]);
    expect(fields(itemFromRow({ ...row, full_coverage: '否' }).problems)).toEqual(['full_coverage_per_year']);
  });
});

describe('qualifications', () => {
  const items = new Map<string, QualifiableItem>([
    ['M1', { id: 1, code: 'M1', department: 'market', active: true }],
    ['M2', { id: 2, code: 'M2', department: 'market', active: false }],
    ['H1', { id: 3, code: 'H1', department: 'health', active: true }],
  ]);

  it('takes known active items of the inspector department', () => {
    expect(qualificationProblems('market', ['M1'], items, new Set())).toEqual({ itemIds: [1], problems: [] });
    expect(qualificationProblems('market', [], items, new Set())).toEqual({ itemIds: [], problems: [] });
  });

  it('refuses unknown, repeated, other departments and newly added deactivated items', () => {
    const r = qualificationProblems('market', ['X', 'M1', 'M1', 'H1', 'M2'], items, new Set());
    expect(r.itemIds).toEqual([1]);
    expect(r.problems.map((p) => [p.field, p.reason.slice(0, 20)])).toEqual([
      ['itemCodes[0]', "unknown item 'X' (no"],
      ['itemCodes[2]', "'M1' given twice"],
      ['itemCodes[3]', 'item H1 belongs to d'],
      ['itemCodes[4]', 'item M2 is deactivat'],
    ]);
  });

  it('keeps a deactivated item the inspector holds already', () => {
    expect(qualificationProblems('market', ['M2'], items, new Set([2]), 'items')).toEqual({
      itemIds: [2],
      problems: [],
    });
  });

  it('areas: 30 streets of 50 characters, no repeats', () => {
    expect(areaProblems(['五角场街道', '殷行街道'])).toEqual([]);
    expect(fields(areaProblems(['a', 'a', '', 'x'.repeat(51)]))).toEqual([
      'areas[1]',
      'areas[2]',
      'areas[3]',
    ]);
    expect(fields(areaProblems(Array.from({ length: 31 }, (_, i) => `街道${i}`)))).toEqual(['areas']);
  });

  it('reads a roster row; absent columns leave the profile as it is', () => {
    const header = ['username', 'department', 'items', 'areas', 'on_roster'];
    expect(
      rosterFromRow(
        {
          username: 'a',
          department: '消防救援支队',
          items: 'F1;F2',
          areas: '殷行街道|大桥街道',
          on_roster: '否',
        },
        header,
      ),
    ).toEqual({
      row: {
        username: 'a',
        credentialNo: null,
        department: 'fire',
        itemCodes: ['F1', 'F2'],
        areas: ['殷行街道', '大桥街道'],
        onRoster: false,
      },
      problems: [],
    });
    expect(
      rosterFromRow({ credential_no: '310', department: 'fire' }, ['credential_no', 'department']).row,
    ).toEqual({
      username: null,
      credentialNo: '310',
      department: 'fire',
      itemCodes: null,
      areas: null,
      onRoster: null,
    });
    expect(
      fields(
        rosterFromRow({ username: '', credential_no: '', department: 'x', on_roster: '?' }, header).problems,
      ),
    ).toEqual(['username', 'department', 'on_roster']);
  });
});

describe('recusal', () => {
  it('each role gives its own fields', () => {
    expect(recusalBodyProblems('inspector', { enterpriseUscc: 'U', reason: '亲属' })).toEqual({
      source: 'inspector',
      problems: [],
    });
    expect(
      recusalBodyProblems('regulator', {
        inspectorUserId: 3,
        enterpriseUscc: 'U',
        reason: '亲属',
        source: 'regulator',
      }),
    ).toEqual({ source: 'regulator', problems: [] });
    expect(recusalBodyProblems('enterprise', { inspectorCredentialNo: '31', reason: '曾有纠纷' })).toEqual({
      source: 'enterprise',
      problems: [],
    });
  });

  it('names the fields another role gives, and the missing ones', () => {
    expect(fields(recusalBodyProblems('inspector', { inspectorUserId: 3, reason: 'x' }).problems)).toEqual([
      'inspectorUserId',
      'enterpriseUscc',
    ]);
    expect(fields(recusalBodyProblems('enterprise', { enterpriseUscc: 'U', reason: ' ' }).problems)).toEqual([
      'enterpriseUscc',
      'inspectorCredentialNo',
      'reason',
    ]);
    expect(
      fields(
        recusalBodyProblems('regulator', {
          inspectorUserId: 3,
          enterpriseUscc: 'U',
          reason: 'x',
          source: 'inspector',
        }).problems,
      ),
    ).toEqual(['source']);
    expect(fields(recusalBodyProblems('regulator', { reason: 'x'.repeat(501) }).problems)).toEqual([
      'inspectorUserId',
      'enterpriseUscc',
      'source',
      'reason',
    ]);
    expect(recusalBodyProblems('admin', {}).source).toBeNull();
  });

  it('only a regulator of the inspector department reviews', () => {
    expect(reviewRefusal({ id: 7, role: 'regulator', department: 'market' }, 'market', null)).toBeNull();
    expect(reviewRefusal({ id: 7, role: 'regulator', department: 'market' }, 'market', 8)).toBeNull();
    expect(reviewRefusal({ id: 7, role: 'regulator', department: 'market' }, 'market', 7)).toMatch(
      /other than the one who recorded it/,
    );
    expect(reviewRefusal({ id: 7, role: 'regulator', department: 'fire' }, 'market', null)).toMatch(
      /inspectors of fire only/,
    );
    expect(reviewRefusal({ id: 1, role: 'admin', department: null }, 'market', null)).toMatch(
      /only a regulator/,
    );
  });

  it('a review: a decision, and a note when rejecting', () => {
    expect(reviewProblems('approved', undefined)).toEqual([]);
    expect(reviewProblems('rejected', '与该企业无利害关系')).toEqual([]);
    expect(fields(reviewProblems('rejected', ' '))).toEqual(['note']);
    expect(fields(reviewProblems('maybe', 'x'.repeat(501)))).toEqual(['decision', 'note']);
    expect(fields(reviewProblems('approved', 5))).toEqual(['note']);
  });
});
