import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { KeysService } from '../src/check-codes/keys/keys.service.js';
import {
  CheckCodeClaims,
  decodeCheckCode,
  MAX_CODE_TEXT,
  signCheckCode,
} from '../src/check-codes/rules/check-code-format.js';
import { kidOf } from '../src/check-codes/rules/key-id.js';
import { RefusalAudit } from '../src/check-codes/verification/refusal-audit.js';
import { VerificationService } from '../src/check-codes/verification/verification.service.js';
import { checkInTestCode, completeTestCode, issueTestCode, type TestCode } from './check-code-fixtures.js';
import { loadConfig } from '../src/config/configuration.js';
import { createTestApp, type TestApp } from './helpers.js';

/** Waits longer than the verification's row cache (VerificationService.ROW_CACHE_MS). */
const pastRowCache = () => new Promise((r) => setTimeout(r, VerificationService.ROW_CACHE_MS + 100));

/** The code text with one base32 character of its body changed (an altered code). */
function altered(text: string, at = 60): string {
  const c = text[at]!;
  return text.slice(0, at) + (c === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

/** Every key anywhere in a JSON value. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  return out;
}

/** Keys holding a number anywhere in a JSON value. */
function numbersOf(v: unknown, out = new Set<string>(), key = ''): Set<string> {
  if (typeof v === 'number') out.add(key);
  else if (Array.isArray(v)) v.forEach((x) => numbersOf(x, out, key));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) numbersOf(x, out, k);
  return out;
}

const PARTICULAR_FIELDS = ['task', 'enterprise', 'lead', 'checkWord', 'checkWordChangesInSeconds'] as const;

/** Refusal entries of the audit trail (check_code.verify_refused and its summaries). */
async function refusalEntries(
  t: TestApp,
): Promise<{ action: string; entity_id: string | null; after: Record<string, unknown> }[]> {
  await t.app.get(RefusalAudit).flushed();
  return t.dataSource.query(
    `SELECT action, entity_id, after FROM audit_log WHERE action LIKE 'check_code.verify_refused%' ORDER BY seq`,
  );
}

describe('verification of inspection codes (GET /api/check-codes/:code/verification, /v/:code)', () => {
  let t: TestApp;
  let routine: TestCode;
  beforeAll(async () => {
    t = await createTestApp({ BUREAU_PHONE: '021-65000000', BUREAU_PHONE_NAME: '杨浦区市场监督管理局' });
    routine = await issueTestCode(t, { enterpriseName: '上海核验测试餐饮有限公司' });
  });
  afterAll(() => t.close());

  it('a genuine code: valid, with the particulars, the check word the inspector sees, and nothing internal', async () => {
    const res = await request(t.http).get(`/api/check-codes/${routine.codeText}/verification`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const v = res.body;
    expect(v).toMatchObject({
      verdict: 'valid',
      reason: 'valid',
      state: 'issued',
      stateText: '待检查',
      codeNo: routine.codeNo,
      codeNoText: `JC-${routine.codeNo.slice(0, 4)}-${routine.codeNo.slice(4)}`,
      enterprise: { name: '上海核验测试餐饮有限公司', uscc: routine.enterprise.uscc },
      task: { kind: 'routine', kindText: '计划检查', plans: [{ planNo: routine.planNo }], triggers: [] },
      lead: { code: 'market', name: '杨浦区市场监督管理局' },
      departments: [{ code: 'market', name: '杨浦区市场监督管理局' }],
      ratingPath: null,
      phones: [
        { name: '全国市场监管投诉举报热线', number: '12315' },
        { name: '杨浦区市场监督管理局', number: '021-65000000' },
      ],
    });
    expect(v.task.plans[0].version).toBe(1);
    expect(v.items.map((i: { code: string }) => i.code).sort()).toEqual([...routine.itemCodes].sort());
    const food = v.items.find((i: { name: string }) => i.name === '食品经营许可情况检查');
    expect(food).toMatchObject({
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      checkMethod: 'on_site',
      checkMethodText: '现场检查',
      requirements: ['公示食品经营许可证', '从业人员持有健康证明'],
      department: { code: 'market' },
    });
    expect(v.inspectors).toEqual(
      routine.inspectors.map((i) => ({
        name: i.user.displayName,
        credentialNo: i.user.credentialNo,
        department: { code: 'market', name: '杨浦区市场监督管理局' },
      })),
    );
    expect(Date.parse(v.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(v.validUntil)).toBeGreaterThan(Date.now());
    // the same word as on the inspector's own page, and when it changes
    const own = await routine.inspectors[0]!.agent.get(`/api/check-codes/${routine.codeId}`).expect(200);
    expect(v.checkWord).toMatch(/^\p{Script=Han}{3}$/u);
    expect(v.checkWord).toBe(own.body.checkWord);
    expect(v.checkWordChangesInSeconds).toBeGreaterThan(0);
    expect(v.checkWordChangesInSeconds).toBeLessThanOrEqual(600);
    // reveals nothing internal: no ids of tasks, visits, users, triggers or the code's row (the
    // only numbers are a plan's version and the seconds left), no phone numbers
    const keys = [...keysOf(v)];
    expect(keys.filter((k) => /id$|Id$|ids$|Ids$|phone$|user|sourceRef/i.test(k))).toEqual([]);
    expect([...numbersOf(v)].sort()).toEqual(['checkWordChangesInSeconds', 'version']);
    const text = JSON.stringify(v);
    expect(text).not.toMatch(/1[3-9]\d{9}/); // a mobile number
    expect(text).not.toContain(routine.codeText);
  });

  it('reads the code in any case and as its URL-encoded verification URL', async () => {
    const lower = await request(t.http).get(
      `/api/check-codes/${routine.codeText.toLowerCase()}/verification`,
    );
    expect(lower.body).toMatchObject({ verdict: 'valid', codeNo: routine.codeNo });
    const url = await request(t.http).get(
      `/api/check-codes/${encodeURIComponent(routine.verifyUrl)}/verification`,
    );
    expect(url.status).toBe(200);
    expect(url.body).toMatchObject({ verdict: 'valid', codeNo: routine.codeNo });
    expect(routine.verifyUrl).toMatch(/\/V\/JC1\./);
  });

  it("an event-triggered code shows the triggers' reasons, never their ids or source references", async () => {
    const event = await issueTestCode(t, { kind: 'event' });
    const v = (await request(t.http).get(`/api/check-codes/${event.codeText}/verification`).expect(200)).body;
    expect(v.task).toEqual({
      kind: 'event',
      kindText: '事件触发检查',
      plans: [],
      triggers: [{ kind: 'complaint', kindText: '投诉', reason: '消费者投诉：销售过期食品' }],
    });
    expect(JSON.stringify(v)).not.toContain('12315-2026');
  });

  it('a joint visit: one code, both departments with the lead, every item and inspector', async () => {
    const joint = await issueTestCode(t, { kind: 'joint' });
    const v = (await request(t.http).get(`/api/check-codes/${joint.codeText}/verification`).expect(200)).body;
    expect(v.task.kind).toBe('joint');
    expect(v.task.kindText).toBe('联合检查');
    expect(v.task.plans).toHaveLength(1);
    expect(v.task.triggers).toEqual([
      { kind: 'report', kindText: '举报', reason: '群众举报：空调通风系统未清洗' },
    ]);
    expect(v.departments.map((d: { code: string }) => d.code)).toEqual(['market', 'health']);
    expect(v.lead.code).toBe('market');
    expect(v.items).toHaveLength(3);
    expect(v.inspectors).toHaveLength(4);
  });

  it('forged, altered, unreadable codes: not valid with the reason, and none of the claims shown', async () => {
    const keyPair = generateKeyPairSync('ed25519');
    const claims = decodeCheckCode(routine.codeText).claims;
    const forger = { ...claims, credentialNos: ['F0000001'], uscc: '91310110MA1FAKE00X' } as CheckCodeClaims;
    const cases: [string, string, string][] = [
      [
        're-signed with a key of its own',
        signCheckCode(
          forger,
          kidOf(keyPair.publicKey.export({ format: 'der', type: 'spki' }) as Buffer),
          keyPair.privateKey,
        ),
        'unknown_key',
      ],
      [
        'the same claims under the service key id, signed by another key',
        signCheckCode(forger, decodeCheckCode(routine.codeText).kid, keyPair.privateKey),
        'bad_signature',
      ],
      ['truncated', routine.codeText.slice(0, 80), 'not_cose_sign1'],
      ['not a code', 'hello', 'wrong_prefix'],
      ['a newer format', 'JC2.AAAA', 'unsupported_version'],
    ];
    for (const [what, text, reason] of cases) {
      const res = await request(t.http).get(`/api/check-codes/${encodeURIComponent(text)}/verification`);
      expect([what, res.status]).toEqual([what, 200]);
      const v = res.body;
      expect([what, v.verdict, v.reason]).toEqual([what, 'not_valid', reason]);
      expect(v.reasonText).toMatch(/^(伪造|无法识别)/);
      expect(v.whatToDo).toContain('请勿接受检查');
      expect(v.whatToDo).toContain('12315');
      expect(v.whatToDo).toContain('021-65000000');
      for (const f of PARTICULAR_FIELDS) expect([what, f, v[f]]).toEqual([what, f, null]);
      expect([v.codeNo, v.validFrom, v.state, v.items, v.inspectors]).toEqual([null, null, null, [], []]);
      expect(JSON.stringify(v)).not.toContain('F0000001');
      expect(JSON.stringify(v)).not.toContain(routine.enterprise.uscc);
    }
    // an altered character: unreadable or a signature that does not match, never valid
    const alt = (await request(t.http).get(`/api/check-codes/${altered(routine.codeText)}/verification`))
      .body;
    expect(alt.verdict).toBe('not_valid');
    expect(alt.codeNo).toBeNull();
  });

  it('a code signed with the service key that the service never issued: not valid (not_issued), audited', async () => {
    const { kid, privateKey } = await t.app.get(KeysService).signer();
    const claims = { ...decodeCheckCode(routine.codeText).claims, codeNo: 'ZZZZ2345' };
    const text = signCheckCode(claims, kid, privateKey);
    const v = (await request(t.http).get(`/api/check-codes/${text}/verification`).expect(200)).body;
    expect(v).toMatchObject({ verdict: 'not_valid', reason: 'not_issued', codeNo: null, enterprise: null });
    const entries = await refusalEntries(t);
    expect(entries.find((e) => e.after.reason === 'not_issued')?.after).toMatchObject({
      claimedCodeNo: 'ZZZZ2345',
      kid,
    });
  });

  it('expired and not yet valid (judged at another moment): the code number and window, nothing more', async () => {
    const svc = t.app.get(VerificationService);
    const c = decodeCheckCode(routine.codeText).claims;
    const late = await svc.verify(routine.codeText, null, (c.notAfter + 1) * 1000);
    expect(late).toMatchObject({
      verdict: 'not_valid',
      reason: 'expired',
      codeNo: routine.codeNo,
      task: null,
      items: [],
    });
    expect(late.reasonText).toMatch(/^已过期/);
    expect(late.validUntil).toBe(new Date(c.notAfter * 1000).toISOString());
    const early = await svc.verify(routine.codeText, null, (c.notBefore - 1) * 1000);
    expect(early).toMatchObject({
      verdict: 'not_valid',
      reason: 'not_yet_valid',
      codeNo: routine.codeNo,
      enterprise: null,
    });
    expect(early.reasonText).toMatch(/^尚未生效/);
    expect(early.checkWord).toBeNull();
  });

  it('checked in shows 检查中 within the row cache; revoked shows 已吊销 (not valid), audited once an hour per code', async () => {
    const code = await issueTestCode(t);
    await request(t.http).get(`/api/check-codes/${code.codeText}/verification`).expect(200);
    await checkInTestCode(code);
    await pastRowCache();
    const inUse = (await request(t.http).get(`/api/check-codes/${code.codeText}/verification`)).body;
    expect([inUse.verdict, inUse.state, inUse.stateText]).toEqual(['valid', 'in_use', '检查中']);
    expect(inUse.checkedInAt).not.toBeNull();
    await code.inspectors[0]!.agent.post(`/api/check-codes/${code.codeId}/revoke`)
      .send({ reason: '检查人员变更' })
      .expect(200);
    await pastRowCache();
    for (let i = 0; i < 3; i++) {
      const v = (await request(t.http).get(`/api/check-codes/${code.codeText}/verification`)).body;
      expect(v).toMatchObject({
        verdict: 'not_valid',
        reason: 'revoked',
        state: 'revoked',
        stateText: '已吊销',
        codeNo: code.codeNo,
        task: null,
        inspectors: [],
        checkWord: null,
      });
      expect(v.reasonText).toMatch(/^已吊销/);
      expect(JSON.stringify(v)).not.toContain('检查人员变更');
    }
    const entries = (await refusalEntries(t)).filter((e) => e.entity_id === code.codeNo);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.after).toMatchObject({ reason: 'revoked', claimedCodeNo: code.codeNo });
  });

  it('completed: valid with 已完成, no check word, and the link to rate', async () => {
    const code = await issueTestCode(t);
    await completeTestCode(t, code);
    await pastRowCache();
    const v = (await request(t.http).get(`/api/check-codes/${code.codeText}/verification`)).body;
    expect(v).toMatchObject({
      verdict: 'valid',
      state: 'completed',
      stateText: '已完成',
      checkWord: null,
      ratingPath: `/m/codes/${code.codeNo}/rate`,
    });
    expect(v.completedAt).not.toBeNull();
    const page = await request(t.http).get(`/v/${code.codeText}`).expect(200);
    expect(page.text).toContain(`href="/m/codes/${code.codeNo}/rate"`);
    expect(page.text).not.toContain('class="word"');
    expect(page.text).toContain('本次检查已完成 · 不能再凭此码检查');
  });

  it('an unusable request: longer than MAX_CODE_TEXT or with an unstorable character answers 422 naming `code`', async () => {
    const long = 'JC1.' + 'A'.repeat(MAX_CODE_TEXT);
    const res = await request(t.http).get(`/api/check-codes/${long}/verification`).expect(422);
    expect(res.body.errors).toEqual([{ field: 'code', reason: expect.stringContaining('longer than 1500') }]);
    const nul = await request(t.http).get(`/api/check-codes/JC1.AB%00CD/verification`).expect(422);
    expect(nul.body.errors[0].field).toBe('code');
    // the pages answer a page (red, 无法识别), never JSON
    const page = await request(t.http).get(`/v/${long}`).expect(422);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('检查码无效');
    expect(page.text).toContain('无法识别：内容过长');
    const pageNul = await request(t.http).get(`/v/JC1.AB%00CD`).expect(422);
    expect(pageNul.text).toContain('检查码无效');
  });

  it('the page of a genuine code: green verdict, check word, task, items with legal basis, inspectors; no script; strict headers', async () => {
    const res = await request(t.http).get(`/v/${routine.codeText}`).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'unsafe-inline';/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const page = res.text;
    expect(page).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);
    const v = (await request(t.http).get(`/api/check-codes/${routine.codeText}/verification`)).body;
    for (const s of [
      '检查码有效 · 真实检查',
      '请检查人员读出核验词；与此处一致方为真实检查',
      v.checkWord,
      '计划检查',
      routine.planNo!,
      '上海核验测试餐饮有限公司',
      routine.enterprise.uscc,
      '《中华人民共和国食品安全法》第三十五条',
      '从业人员持有健康证明',
      '待检查',
      ...routine.inspectors.flatMap((i) => [i.user.displayName, i.user.credentialNo!]),
      'tel:12315',
      'tel:021-65000000'.replace('-', ''),
    ])
      expect([s, page.includes(s)]).toEqual([s, true]);
    // the QR code's URL is upper-cased: /V/<CODE>
    const upper = await request(t.http).get(new URL(routine.verifyUrl).pathname).expect(200);
    expect(upper.text).toContain('检查码有效 · 真实检查');
  });

  it('the page of a forged code: red, the reason and what to do, nothing of its claims', async () => {
    const keyPair = generateKeyPairSync('ed25519');
    const claims = { ...decodeCheckCode(routine.codeText).claims, uscc: '91310110MA1FAKE00X' };
    const forged = signCheckCode(
      claims,
      kidOf(keyPair.publicKey.export({ format: 'der', type: 'spki' }) as Buffer),
      keyPair.privateKey,
    );
    const page = (await request(t.http).get(`/v/${forged}`).expect(200)).text;
    for (const s of ['检查码无效', '伪造', '请勿接受检查', '12315', '021-65000000', '如何举报'])
      expect([s, page.includes(s)]).toEqual([s, true]);
    for (const s of [
      '91310110MA1FAKE00X',
      routine.codeNo,
      '检查码有效',
      '核验词',
      routine.inspectors[0]!.user.displayName,
    ])
      expect([s, page.includes(s)]).toEqual([s, false]);
  });

  it('the form at /v, and ?code= verifies a pasted text or URL', async () => {
    const form = await request(t.http).get('/v').expect(200);
    expect(form.text).toContain('<form method="get" action="/v">');
    expect(form.text).toMatch(/<textarea\s+id="code"\s+name="code"/);
    expect(form.headers['content-security-policy']).toContain("form-action 'self'");
    const pasted = await request(t.http)
      .get('/v')
      .query({ code: ` ${routine.verifyUrl.toLowerCase()} ` })
      .expect(200);
    expect(pasted.text).toContain('检查码有效 · 真实检查');
    const bad = await request(t.http).get('/v').query({ code: 'JC1.NOTACODE' }).expect(200);
    expect(bad.text).toContain('检查码无效');
  });

  it('refusals are audited once per reason and code an hour, the rest counted in an hourly summary', async () => {
    const before = (await refusalEntries(t)).length;
    const forged = altered(routine.codeText, 100);
    for (let i = 0; i < 5; i++)
      await request(t.http).get(`/api/check-codes/${forged}/verification`).expect(200);
    await request(t.http).get(`/v/${forged}`).expect(200);
    // expired and not-yet-valid genuine codes and empty texts are no attack: not audited
    await request(t.http).get(`/api/check-codes/%20/verification`).expect(200);
    let entries = (await refusalEntries(t)).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'check_code.verify_refused', entity_id: null });
    expect(entries[0]!.after).toMatchObject({ address: expect.stringContaining('127.0.0.1') });
    const digest = entries[0]!.after.codeDigest;
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
    // the hour ends: one summary with the repeats
    t.app.get(RefusalAudit).rollOver(Date.now() + 3_600_000);
    entries = (await refusalEntries(t)).slice(before);
    expect(entries).toHaveLength(2);
    const summary = entries[1]!;
    expect(summary.action).toBe('check_code.verify_refused_summary');
    expect(summary.after.repeats).toEqual(
      expect.arrayContaining([expect.objectContaining({ codeDigest: digest, repeats: 5 })]),
    );
  });
});

describe('a revoked signing key: its codes are not valid (after the key cache), even while verified a moment before', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('valid, then key_revoked with nothing of the particulars', async () => {
    const code = await issueTestCode(t);
    const api = `/api/check-codes/${code.codeText}/verification`;
    expect((await request(t.http).get(api)).body.verdict).toBe('valid');
    const { kid } = decodeCheckCode(code.codeText);
    await t.dataSource.query(
      `UPDATE check_code_key SET status = 'revoked', private_key = NULL, revoked_at = now(), revoke_reason = '测试：私钥泄露' WHERE kid = $1`,
      [kid],
    );
    await new Promise((r) => setTimeout(r, KeysService.CACHE_MS + 100));
    const v = (await request(t.http).get(api)).body;
    expect(v).toMatchObject({
      verdict: 'not_valid',
      reason: 'key_revoked',
      codeNo: null,
      enterprise: null,
      checkWord: null,
    });
    expect(v.reasonText).toContain('密钥已被本局吊销');
  });
});

describe('the verification limit: per address in memory, outside the general one; signed-in users and BUREAU_NETWORKS exempt', () => {
  let t: TestApp;
  let code: TestCode;
  beforeAll(async () => {
    t = await createTestApp({ VERIFY_RATE_LIMIT: '3', THROTTLE_ANONYMOUS_LIMIT: '2' });
    code = await issueTestCode(t);
  });
  afterAll(() => t.close());

  it('the 4th verification a minute from one address answers 429 (JSON in the API shape, the page in Chinese)', async () => {
    const api = `/api/check-codes/${code.codeText}/verification`;
    // three verifications although the general anonymous limit is 2: they do not count there
    for (let i = 0; i < 3; i++)
      await request(t.http)
        .get(i === 1 ? `/v/${code.codeText}` : api)
        .expect(200);
    const json = await request(t.http).get(api).expect(429);
    expect(json.body).toMatchObject({ statusCode: 429, errors: [{ field: '(request)' }] });
    expect(json.body.message).toContain('at most 3 a minute');
    expect(Number(json.headers['retry-after'])).toBeGreaterThan(0);
    expect(json.headers['ratelimit-policy']).toBeDefined();
    const page = await request(t.http).get(`/V/${code.codeText}`).expect(429);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('查询过于频繁');
    expect(page.text).toContain('这不表示检查码无效');
    // a signed-in user is not limited here
    for (let i = 0; i < 4; i++) await code.inspectors[0]!.agent.get(api).expect(200);
  });
});

describe("BUREAU_NETWORKS: the bureau's own addresses are not limited", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ VERIFY_RATE_LIMIT: '1', BUREAU_NETWORKS: '10.0.0.0/8, 127.0.0.0/8' });
  });
  afterAll(() => t.close());

  it('answers every verification from 127.0.0.1', async () => {
    for (let i = 0; i < 4; i++)
      await request(t.http).get('/api/check-codes/JC1.AAAA/verification').expect(200);
  });

  it('refuses to start with a bad network list', () => {
    expect(() => loadConfig({ BUREAU_NETWORKS: '10.0.0.0/8, 10.0.0.0/33' })).toThrow(
      /BUREAU_NETWORKS: '10.0.0.0\/33': the prefix length is at most 32/,
    );
  });
});
