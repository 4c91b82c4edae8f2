import { describe, expect, it } from '@jest/globals';
import { CHECK_CODE_STATES } from '../../check-codes/rules/check-code-rules.js';
import { STATE_LABELS } from '../../check-codes/codes/rules/code-rules.js';
import * as L from './check-codes.js';

const keys = (o: object) => Object.keys(o).sort();

/** The pages' words for codes name every code of the server, and the server's refusals. */
describe('labels of inspection codes (check-codes.ts)', () => {
  it('labels every state, as the server does', () => {
    expect(keys(L.CHECK_CODE_STATE_LABELS)).toEqual([...CHECK_CODE_STATES].sort());
    expect(keys(L.CHECK_CODE_STATE_TAG)).toEqual([...CHECK_CODE_STATES].sort());
    expect(L.CHECK_CODE_STATE_LABELS).toEqual(STATE_LABELS);
  });

  it('labels every reason of the verdict rule', () => {
    const verdict = [
      'empty',
      'too_long',
      'wrong_prefix',
      'not_base32',
      'not_cose_sign1',
      'bad_header',
      'bad_claims',
      'unsupported_version',
      'unknown_key',
      'key_revoked',
      'unsupported_algorithm',
      'bad_signature',
      'issued_outside_key_validity',
      'key_expired',
      'not_yet_valid',
      'expired',
      'revoked',
      'not_issued',
    ];
    expect(keys(L.VERDICT_REASON_LABELS)).toEqual(verdict.sort());
  });

  it('says when the check word changes', () => {
    expect(L.changesIn(600)).toBe('10 分钟后更换');
    expect(L.changesIn(541)).toBe('10 分钟后更换');
    expect(L.changesIn(540)).toBe('9 分钟后更换');
    expect(L.changesIn(60)).toBe('1 分钟后更换');
    expect(L.changesIn(59)).toBe('59 秒后更换');
    expect(L.changesIn(0)).toBe('正在更换');
  });

  it('writes an end at midnight as 24:00 of the day before', () => {
    const f = (iso: string) => `<${iso}>`;
    expect(L.formatValidUntil('2026-12-12T16:00:00.000Z', (i) => i)).toBe('2026-12-12T15:59:00.000Z');
    const zh = (iso: string) => {
      const d = new Date(Date.parse(iso) + 8 * 3_600_000);
      return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    };
    expect(L.formatValidUntil('2026-12-12T16:00:00.000Z', zh)).toBe('12月12日 24:00');
    expect(L.formatValidUntil('2026-12-12T16:00:01.000Z', zh)).toBe('12月13日 00:00');
    expect(L.formatValidUntil('2026-12-12T05:30:00.000Z', zh)).toBe('12月12日 13:30');
    expect(L.formatValidUntil('soon', f)).toBe('soon');
  });

  it("puts the service's refusals into words", () => {
    expect(L.codeReasonZh('the visit has a live code JC-AB23-CD45: use it (or revoke it first)')).toBe(
      '本次检查已有有效的检查码 JC-AB23-CD45，请直接使用',
    );
    expect(L.codeReasonZh("the visit's window ended on 2026-11-30: no code")).toContain('2026-11-30');
    expect(L.codeReasonZh('the code is not valid now: expired')).toBe('检查码当前无效：已过期');
    expect(L.codeReasonZh('already checked in under this code')).toBe('您已签到');
    expect(L.codeReasonZh('not checked in under this code: check in first')).toBe('请先签到再签退');
    expect(
      L.codeReasonZh(
        'you have not checked in under the inspection code of this task: check in first (无码不检查)',
      ),
    ).toContain('您尚未签到');
    expect(L.codeReasonZh('something else')).toBe('something else');
  });
});
