import { generateKeyPairSync } from 'node:crypto';
import { TRIGGER_KINDS } from '../../inspections/triggers/dto/trigger.dto.js';
import type { CodeParticulars } from '../codes/dto/check-code.dto.js';
import { CheckCodeClaims, decodeCheckCode, kidOf, signCheckCode } from '../rules/check-code-format.js';
import { judgeCode, NotValidReason, StoredCode, TrustedKey, Verdict } from '../rules/verdict.js';
import {
  auditedReason,
  codeNoText,
  particularsView,
  REASON_TEXT,
  StoredCodeRow,
  TRIGGER_KIND_TEXT,
  verificationView,
  whatToDo,
} from './verification-view.js';

const S = { district: '杨浦区', bureauPhone: '021-65000000', bureauPhoneName: '杨浦区市场监督管理局' };
const word = () => ({ word: '山水花', secondsLeft: 125 });

const PARTICULARS: CodeParticulars = {
  format: 1,
  codeNo: 'K7Q9M2XD',
  kind: 'joint',
  kinds: ['event', 'routine'],
  enterprise: { name: '上海某某餐饮有限公司', uscc: '91310110MA1G8XXX0X' },
  window: { start: '2026-12-01', end: '2026-12-10' },
  plans: [
    {
      planNo: '2026-market-001',
      version: 2,
      title: '2026年度双随机抽查计划',
      batchSeq: 1,
      batchName: '第一批',
      department: 'market',
    },
  ],
  triggers: [
    {
      id: 4711,
      kind: 'report',
      kindLabel: '举报',
      reason: '群众举报：空调通风系统未清洗',
      sourceRef: '12345-2026-0042',
      receivedOn: '2026-11-20',
    },
  ],
  items: [
    {
      code: 'SC-M01',
      name: '食品经营许可情况检查',
      department: 'market',
      departmentName: '杨浦区市场监督管理局',
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      checkMethod: 'on_site',
      checkMethodLabel: '现场检查',
      requirements: ['公示食品经营许可证'],
    },
  ],
  departments: [
    { code: 'market', name: '杨浦区市场监督管理局', lead: true },
    { code: 'health', name: '杨浦区卫生健康委员会', lead: false },
  ],
  lead: { code: 'market', name: '杨浦区市场监督管理局' },
  inspectors: [
    {
      name: '王建国',
      credentialNo: '31011020260001',
      department: 'market',
      departmentName: '杨浦区市场监督管理局',
    },
    { name: '李医生', credentialNo: '31011020260002', department: null, departmentName: null },
  ],
};

const claims: CheckCodeClaims = {
  issuer: '310110',
  codeNo: 'K7Q9M2XD',
  issuedAt: 1_764_600_000,
  notBefore: 1_764_600_000,
  notAfter: 1_764_600_000 + 9 * 86_400,
  taskIds: [987654, 987655],
  uscc: '91310110MA1G8XXX0X',
  itemCodes: ['SC-M01'],
  credentialNos: ['31011020260001', '31011020260002'],
  departments: ['market', 'health'],
  planNo: '2026-market-001',
  triggerIds: [4711],
};

function signed() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' }) as Buffer;
  const kid = kidOf(spki);
  const key: TrustedKey = {
    kid,
    alg: -8,
    status: 'active',
    publicKey: spki,
    validFromMs: 0,
    signsUntilMs: null,
    verifiesUntilMs: null,
  };
  return {
    text: signCheckCode(claims, kid, privateKey),
    lookup: (k: string) => (k === kid ? key : null),
    privateKey,
  };
}

const row = (text: string, status: StoredCodeRow['status'] = 'issued'): StoredCodeRow => ({
  codeNo: 'K7Q9M2XD',
  codeText: text,
  status,
  revokeReason: status === 'revoked' ? '检查人员张三的手机遗失' : null,
  particulars: PARTICULARS,
  notBefore: new Date(claims.notBefore * 1000).toISOString(),
  notAfter: new Date(claims.notAfter * 1000).toISOString(),
  checkedInAt: status === 'issued' ? null : '2026-12-02T01:00:00.000Z',
  completedAt: status === 'completed' ? '2026-12-02T03:00:00.000Z' : null,
});
const storedOf = (r: StoredCodeRow): StoredCode => ({
  codeText: r.codeText,
  status: r.status,
  revokeReason: r.revokeReason,
});
const inWindow = (claims.notBefore + 3600) * 1000;

/** Every key anywhere in a value. */
const keysOf = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.flatMap(keysOf)
    : v && typeof v === 'object'
      ? Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)])
      : [];

describe('the public view of a verification', () => {
  it('valid: the particulars picked by name (no trigger id, no source reference, no internal ids), the check word', () => {
    const { text, lookup } = signed();
    const r = row(text);
    const v = verificationView(judgeCode(text, lookup, inWindow, storedOf(r)), r, word, S);
    expect(v).toMatchObject({
      verdict: 'valid',
      reason: 'valid',
      state: 'issued',
      stateText: '待检查',
      codeNo: 'K7Q9M2XD',
      codeNoText: 'JC-K7Q9-M2XD',
      checkWord: '山水花',
      checkWordChangesInSeconds: 125,
      ratingPath: null,
      enterprise: { name: '上海某某餐饮有限公司', uscc: '91310110MA1G8XXX0X' },
      task: {
        kind: 'joint',
        kindText: '联合检查',
        plans: [{ planNo: '2026-market-001', version: 2, batch: '第一批' }],
        triggers: [{ kind: 'report', kindText: '举报', reason: '群众举报：空调通风系统未清洗' }],
      },
      lead: { code: 'market', name: '杨浦区市场监督管理局' },
      departments: [
        { code: 'market', name: '杨浦区市场监督管理局' },
        { code: 'health', name: '杨浦区卫生健康委员会' },
      ],
      inspectors: [
        {
          name: '王建国',
          credentialNo: '31011020260001',
          department: { code: 'market', name: '杨浦区市场监督管理局' },
        },
        { name: '李医生', credentialNo: '31011020260002', department: null },
      ],
    });
    expect(v.items[0]).toEqual({
      code: 'SC-M01',
      name: '食品经营许可情况检查',
      department: { code: 'market', name: '杨浦区市场监督管理局' },
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      checkMethod: 'on_site',
      checkMethodText: '现场检查',
      requirements: ['公示食品经营许可证'],
    });
    expect(v.validFrom).toBe(new Date(claims.notBefore * 1000).toISOString());
    const json = JSON.stringify(v);
    for (const hidden of [
      '4711',
      '12345-2026-0042',
      '987654',
      '987655',
      'taskIds',
      'triggerIds',
      'sourceRef',
    ])
      expect([hidden, json.includes(hidden)]).toEqual([hidden, false]);
    expect(keysOf(v).filter((k) => /id$|Id$|Ids$/.test(k))).toEqual([]);
  });

  it('a field added to the snapshot later is not shown unless picked', () => {
    const p = {
      ...PARTICULARS,
      issuedById: 7,
      inspectors: [{ ...PARTICULARS.inspectors[0]!, phone: '13800138000', userId: 42 }],
    };
    const json = JSON.stringify(particularsView(p, '杨浦区'));
    expect(json).not.toContain('13800138000');
    expect(json).not.toContain('issuedById');
    expect(json).not.toContain('userId');
  });

  it('no phone number typed into a trigger reason reaches the public page (mobile, landline, hotline kept)', () => {
    const p = {
      ...PARTICULARS,
      triggers: [
        {
          ...PARTICULARS.triggers[0]!,
          reason:
            '消费者王先生（电话 138-1234-5678，或021-65432100、+86 13912345678）经12315投诉：售卖过期食品',
        },
      ],
    };
    const json = JSON.stringify(particularsView(p, '杨浦区'));
    for (const n of ['5678', '65432100', '13912345678']) expect(json).not.toContain(n);
    expect(json).toContain('经12315投诉：售卖过期食品');
    expect(json).toContain('（电话 ***，或***、***）');
  });
  it('in use and completed: the state; completed: no check word, the rating link', () => {
    const { text, lookup } = signed();
    const inUse = row(text, 'in_use');
    expect(
      verificationView(judgeCode(text, lookup, inWindow, storedOf(inUse)), inUse, word, S),
    ).toMatchObject({
      state: 'in_use',
      stateText: '检查中',
      checkWord: '山水花',
      checkedInAt: '2026-12-02T01:00:00.000Z',
    });
    const done = row(text, 'completed');
    const v = verificationView(judgeCode(text, lookup, inWindow, storedOf(done)), done, word, S);
    expect(v).toMatchObject({
      verdict: 'valid',
      state: 'completed',
      stateText: '已完成',
      checkWord: null,
      checkWordChangesInSeconds: null,
      ratingPath: '/m/codes/K7Q9M2XD/rate',
    });
    expect(v.whatToDo).toContain('评价');
  });

  it('forged (another key) or altered: verdict, reason and what to do only, never the claims', () => {
    const { text } = signed();
    const other = signed();
    const cases: [Verdict, NotValidReason][] = [
      [judgeCode(text, other.lookup, inWindow), 'unknown_key'],
      [
        judgeCode(signCheckCode(claims, decodeKid(text), other.privateKey), signed().lookup, inWindow),
        'unknown_key',
      ],
      [judgeCode('JC1.' + text.slice(4, 80), other.lookup, inWindow), 'not_cose_sign1'],
    ];
    for (const [verdict, reason] of cases) {
      const v = verificationView(verdict, row(text), word, S);
      expect(v).toMatchObject({
        verdict: 'not_valid',
        reason,
        codeNo: null,
        validFrom: null,
        task: null,
        enterprise: null,
        items: [],
        inspectors: [],
        checkWord: null,
        ratingPath: null,
      });
      expect(JSON.stringify(v)).not.toContain('上海某某餐饮');
    }
  });

  it('a signature that does not match (the right key id, another key): bad_signature, nothing shown', () => {
    const { text, lookup } = signed();
    const forger = generateKeyPairSync('ed25519').privateKey;
    const forged = signCheckCode({ ...claims, credentialNos: ['F0001'] }, decodeKid(text), forger);
    const v = verificationView(judgeCode(forged, lookup, inWindow, storedOf(row(text))), row(text), word, S);
    expect(v).toMatchObject({ reason: 'bad_signature', codeNo: null, inspectors: [] });
    expect(v.reasonText).toBe('伪造或被篡改：签名与内容不符');
  });

  it('genuine but expired, not yet valid or revoked: the code number, window and state, no particulars, no revocation text', () => {
    const { text, lookup } = signed();
    const late = verificationView(judgeCode(text, lookup, (claims.notAfter + 1) * 1000), null, word, S);
    expect(late).toMatchObject({ reason: 'expired', codeNo: 'K7Q9M2XD', task: null, checkWord: null });
    const early = verificationView(judgeCode(text, lookup, (claims.notBefore - 1) * 1000), null, word, S);
    expect(early).toMatchObject({ reason: 'not_yet_valid', codeNo: 'K7Q9M2XD', items: [] });
    const r = row(text, 'revoked');
    const revoked = verificationView(judgeCode(text, lookup, inWindow, storedOf(r)), r, word, S);
    expect(revoked).toMatchObject({
      reason: 'revoked',
      state: 'revoked',
      stateText: '已吊销',
      codeNo: 'K7Q9M2XD',
    });
    expect(JSON.stringify(revoked)).not.toContain('手机遗失');
    expect(revoked.inspectors).toEqual([]);
    // a completed code past its window: expired, and the rating link stays
    const done = row(text, 'completed');
    const after = verificationView(
      judgeCode(text, lookup, (claims.notAfter + 1) * 1000, storedOf(done)),
      done,
      word,
      S,
    );
    expect(after).toMatchObject({
      reason: 'expired',
      state: 'completed',
      ratingPath: '/m/codes/K7Q9M2XD/rate',
    });
  });

  it('not issued (a genuine signature, no stored code): nothing shown', () => {
    const { text, lookup } = signed();
    const v = verificationView(judgeCode(text, lookup, inWindow, null), null, word, S);
    expect(v).toMatchObject({ reason: 'not_issued', codeNo: null, enterprise: null });
    expect(v.reasonText).toMatch(/^伪造/);
  });

  it('every reason has its Chinese text, and what to do names 12315 and the bureau', () => {
    const reasons = Object.keys(REASON_TEXT) as (keyof typeof REASON_TEXT)[];
    expect(reasons).toHaveLength(19);
    for (const r of reasons) {
      expect(REASON_TEXT[r]).toMatch(/^(本局签发|无法识别|伪造|无效|已过期|尚未生效|已吊销)/);
      const todo = whatToDo(r, null, S);
      expect([r, todo.includes('12315'), todo.includes('021-65000000')]).toEqual([r, true, true]);
    }
    expect(whatToDo('bad_signature', null, S)).toContain('请勿接受检查');
    expect(whatToDo('revoked', null, S)).toContain('已被本局吊销');
    expect(whatToDo('not_yet_valid', null, S)).toContain('尚未到有效期');
    expect(whatToDo('valid', 'issued', S)).toContain('核验词');
  });

  it('audits forgery and misuse, not nothing-given, too long, or a genuine code outside its window', () => {
    const audited = (Object.keys(REASON_TEXT) as (keyof typeof REASON_TEXT)[]).filter(auditedReason).sort();
    expect(audited).toEqual(
      [
        'bad_claims',
        'bad_header',
        'bad_signature',
        'issued_outside_key_validity',
        'key_revoked',
        'not_base32',
        'not_cose_sign1',
        'not_issued',
        'revoked',
        'unknown_key',
        'unsupported_algorithm',
        'unsupported_version',
        'wrong_prefix',
      ].sort(),
    );
  });

  it('names every trigger kind in Chinese; shows code numbers as JC-XXXX-XXXX', () => {
    expect(Object.keys(TRIGGER_KIND_TEXT).sort()).toEqual([...TRIGGER_KINDS].sort());
    expect(codeNoText('K7Q9M2XD')).toBe('JC-K7Q9-M2XD');
  });
});

const decodeKid = (text: string) => decodeCheckCode(text).kid;
