import type { VerificationView } from './verification-view.js';
import {
  minutesLeft,
  shanghaiTime,
  tooManyPage,
  verificationFormPage,
  verificationPage,
} from './verification-page.js';

const base: VerificationView = {
  verdict: 'valid',
  reason: 'valid',
  reasonText: '本局签发的真实检查码，在有效期内',
  whatToDo: '请检查人员读出其执法终端上的核验词',
  state: 'in_use',
  stateText: '检查中',
  codeNo: 'K7Q9M2XD',
  codeNoText: 'JC-K7Q9-M2XD',
  validFrom: '2026-12-01T01:30:00.000Z',
  validUntil: '2026-12-10T16:00:00.000Z',
  task: {
    kind: 'event',
    kindText: '事件触发检查',
    plans: [],
    triggers: [{ kind: 'complaint', kindText: '投诉', reason: '消费者投诉：<b>销售过期食品</b>' }],
  },
  enterprise: { name: '上海某某餐饮有限公司', uscc: '91310110MA1G8XXX0X' },
  items: [
    {
      code: 'SC-M01',
      name: '食品经营许可情况检查',
      department: { code: 'market', name: '杨浦区市场监督管理局' },
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      checkMethod: 'on_site',
      checkMethodText: '现场检查',
      requirements: ['公示食品经营许可证', '从业人员持有健康证明'],
    },
  ],
  departments: [{ code: 'market', name: '杨浦区市场监督管理局' }],
  lead: { code: 'market', name: '杨浦区市场监督管理局' },
  inspectors: [
    {
      name: '王建国',
      credentialNo: '31011020260001',
      department: { code: 'market', name: '杨浦区市场监督管理局' },
    },
  ],
  checkedInAt: '2026-12-02T01:00:00.000Z',
  completedAt: null,
  checkWord: '山水花',
  checkWordChangesInSeconds: 61,
  ratingPath: null,
  phones: [
    { name: '全国市场监管投诉举报热线', number: '12315' },
    { name: '杨浦区市场监督管理局', number: '021-6500 0000' },
  ],
};

const notValid: VerificationView = {
  ...base,
  verdict: 'not_valid',
  reason: 'bad_signature',
  reasonText: '伪造或被篡改：签名与内容不符',
  whatToDo: '请勿接受检查，不要提供资料、签字或付款。',
  state: null,
  stateText: null,
  codeNo: null,
  codeNoText: null,
  validFrom: null,
  validUntil: null,
  task: null,
  enterprise: null,
  items: [],
  departments: [],
  lead: null,
  inspectors: [],
  checkedInAt: null,
  checkWord: null,
  checkWordChangesInSeconds: null,
};

describe('the verification page', () => {
  it('valid: the green verdict, the check word and when it changes, the task, items, inspectors, window; no script', () => {
    const page = verificationPage(base, '杨浦区');
    for (const s of [
      '<html lang="zh-CN">',
      'verdict verdict-ok',
      '检查码有效 · 真实检查',
      'JC-K7Q9-M2XD',
      '<p class="value">山水花</p>',
      '请检查人员读出核验词；与此处一致方为真实检查',
      '约 2\n',
      '事件触发检查',
      '检查原因（投诉）',
      '消费者投诉：&lt;b&gt;销售过期食品&lt;/b&gt;',
      '上海某某餐饮有限公司',
      '91310110MA1G8XXX0X',
      '《中华人民共和国食品安全法》第三十五条',
      '<li>从业人员持有健康证明</li>',
      '王建国',
      '31011020260001',
      '检查中',
      '<span class="nowrap">2026年12月1日 09:30</span> 至',
      '<span class="nowrap">2026年12月10日 24:00</span>',
      'href="tel:12315"',
      'href="tel:02165000000"',
    ])
      expect([s, page.includes(s)]).toEqual([s, true]);
    expect(page).not.toMatch(/<script|<link|<img|src=|https?:/i);
    expect(page).not.toContain('<b>');
  });

  it("names the bureau's own site in the footer, to compare with the address bar", () => {
    expect(verificationPage(base, '杨浦区', 'jg.yangpu.gov.cn')).toContain('本局核验网址为 jg.yangpu.gov.cn');
  });

  it('completed: the rating link, no check word section', () => {
    const page = verificationPage(
      {
        ...base,
        state: 'completed',
        stateText: '已完成',
        checkWord: null,
        ratingPath: '/m/codes/K7Q9M2XD/rate',
      },
      '杨浦区',
    );
    expect(page).toContain('<a class="button" href="/m/codes/K7Q9M2XD/rate">评价本次检查</a>');
    expect(page).not.toContain('class="word"');
    // genuine, but no longer "come in": the neutral verdict, not the green one
    expect(page).toContain('verdict verdict-done');
    expect(page).toContain('本次检查已完成 · 不能再凭此码检查');
    expect(page).not.toContain('verdict-ok"');
    expect(page).not.toContain('检查码有效 · 真实检查');
  });

  it('not valid: the red verdict, the reason, what to do, how to report and the form; none of the particulars', () => {
    const page = verificationPage(notValid, '杨浦区');
    for (const s of [
      'verdict verdict-bad',
      'role="alert"',
      '检查码无效',
      '伪造或被篡改：签名与内容不符',
      '请勿接受检查',
      '如何举报',
      'tel:12315',
      '<form method="get" action="/v">',
    ])
      expect([s, page.includes(s)]).toEqual([s, true]);
    for (const s of ['检查码有效', '核验词', '检查人员（', '检查码编号'])
      expect([s, page.includes(s)]).toEqual([s, false]);
  });

  it('a genuine code outside its window: its number, window and state', () => {
    const page = verificationPage(
      {
        ...notValid,
        reason: 'revoked',
        reasonText: '已吊销：本局已吊销该检查码',
        codeNo: 'K7Q9M2XD',
        codeNoText: 'JC-K7Q9-M2XD',
        state: 'revoked',
        stateText: '已吊销',
        validFrom: base.validFrom,
        validUntil: base.validUntil,
      },
      '杨浦区',
    );
    expect(page).toContain('检查码无效');
    expect(page).toContain('JC-K7Q9-M2XD');
    expect(page).toContain('已吊销');
    expect(page).toContain('2026年12月10日 24:00');
  });

  it('the form page and the 429 page', () => {
    const form = verificationFormPage('杨浦区');
    expect(form).toMatch(/<textarea\s+id="code"\s+name="code"/);
    expect(form).toContain('<label for="code">');
    const many = tooManyPage('杨浦区', '021-65000000', 90, '杨浦区市场监督管理局');
    expect(many).toContain('查询过于频繁');
    expect(many).toContain('约 2 分钟后再试');
    expect(many).toContain('021-65000000');
    expect(many).toContain('杨浦区市场监督管理局');
  });

  it('Shanghai times: a window ending at midnight reads 24:00 of its last day', () => {
    expect(shanghaiTime('2026-12-10T16:00:00.000Z', true)).toBe('2026年12月10日 24:00');
    expect(shanghaiTime('2026-12-10T16:00:00.000Z')).toBe('2026年12月11日 00:00');
    expect(shanghaiTime('2026-12-31T17:05:00.000Z')).toBe('2027年1月1日 01:05');
    expect(shanghaiTime('2026-12-10T16:00:01.000Z', true)).toBe('2026年12月11日 00:00');
    expect(minutesLeft(0)).toBe(1);
    expect(minutesLeft(60)).toBe(1);
    expect(minutesLeft(61)).toBe(2);
    expect(minutesLeft(600)).toBe(10);
  });
});
