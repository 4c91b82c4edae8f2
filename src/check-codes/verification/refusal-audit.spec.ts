import type { Actor } from '../../audit/actor.js';
import type { AuditEvent } from '../../audit/audit-writer.js';
import type { AuditService } from '../../audit/audit.service.js';
import { codeDigest, REFUSAL_ENTRIES_PER_WINDOW, REFUSAL_WINDOW_MS, RefusalAudit } from './refusal-audit.js';

const actor: Actor = { userId: null, name: 'anonymous', role: 'public', department: null, requestId: 'r1' };
const refused = (reason: string, input: string) => ({
  reason,
  input,
  claimedCodeNo: null,
  codeNo: null,
  kid: null,
  address: '203.0.113.9',
});

function recorder() {
  const entries: AuditEvent[] = [];
  const audit = { record: async (_a: Actor, e: AuditEvent) => (entries.push(e), { seq: 0, hash: '' }) };
  return { entries, audit: new RefusalAudit(audit as unknown as AuditService) };
}

describe('the audit of refused verifications', () => {
  const hour = 1_800_000_000_000 - (1_800_000_000_000 % REFUSAL_WINDOW_MS);
  let r: ReturnType<typeof recorder>;
  beforeEach(() => (r = recorder()));
  afterEach(() => r.audit.onModuleDestroy());

  it('one entry per reason and code an hour; repeats counted in the summary when the hour ends', async () => {
    for (let i = 0; i < 5; i++) r.audit.note(refused('bad_signature', 'JC1.AAAA'), actor, hour + i * 1000);
    // the same code in lower case or as its URL: the same code
    r.audit.note(refused('bad_signature', 'https://jg.example/v/jc1.aaaa'), actor, hour + 9000);
    r.audit.note(refused('unknown_key', 'JC1.AAAA'), actor, hour + 10_000);
    await r.audit.flushed();
    expect(r.entries.map((e) => [e.action, (e.after as { reason: string }).reason])).toEqual([
      ['check_code.verify_refused', 'bad_signature'],
      ['check_code.verify_refused', 'unknown_key'],
    ]);
    expect(r.entries[0]!.after).toMatchObject({ codeDigest: codeDigest('JC1.AAAA'), address: '203.0.113.9' });
    r.audit.note(refused('bad_signature', 'JC1.AAAA'), actor, hour + REFUSAL_WINDOW_MS + 1);
    await r.audit.flushed();
    expect(r.entries).toHaveLength(4);
    expect(r.entries[2]).toMatchObject({
      action: 'check_code.verify_refused_summary',
      after: {
        from: new Date(hour).toISOString(),
        to: new Date(hour + REFUSAL_WINDOW_MS).toISOString(),
        refusals: { bad_signature: 6, unknown_key: 1 },
        written: 2,
        repeats: [{ reason: 'bad_signature', codeDigest: codeDigest('JC1.AAAA'), codeNo: null, repeats: 5 }],
        unwrittenDistinct: 0,
        unwrittenRefusals: 0,
      },
    });
    // the new hour writes its first refusal again
    expect(r.entries[3]).toMatchObject({ action: 'check_code.verify_refused' });
  });

  it(`a flood of distinct codes writes at most ${REFUSAL_ENTRIES_PER_WINDOW} entries an hour, the rest counted`, async () => {
    for (let i = 0; i < 1000; i++) r.audit.note(refused('bad_signature', `JC1.A${i}`), actor, hour + i);
    await r.audit.flushed();
    expect(r.entries).toHaveLength(REFUSAL_ENTRIES_PER_WINDOW);
    r.audit.rollOver(hour + REFUSAL_WINDOW_MS);
    await r.audit.flushed();
    expect(r.entries).toHaveLength(REFUSAL_ENTRIES_PER_WINDOW + 1);
    expect(r.entries.at(-1)!.after).toMatchObject({
      refusals: { bad_signature: 1000 },
      written: REFUSAL_ENTRIES_PER_WINDOW,
      unwrittenDistinct: 1000 - REFUSAL_ENTRIES_PER_WINDOW,
      unwrittenRefusals: 1000 - REFUSAL_ENTRIES_PER_WINDOW,
      repeats: [],
    });
  });

  it('an hour without repeats or overflow ends without a summary; shutdown writes the running hour', async () => {
    r.audit.note(refused('revoked', 'JC1.BBBB'), actor, hour);
    r.audit.rollOver(hour + REFUSAL_WINDOW_MS);
    await r.audit.flushed();
    expect(r.entries.map((e) => e.action)).toEqual(['check_code.verify_refused']);
    r.audit.note(refused('revoked', 'JC1.BBBB'), actor, Date.now());
    r.audit.note(refused('revoked', 'JC1.BBBB'), actor, Date.now());
    await r.audit.onModuleDestroy();
    expect(r.entries.map((e) => e.action)).toEqual([
      'check_code.verify_refused',
      'check_code.verify_refused',
      'check_code.verify_refused_summary',
    ]);
  });

  it('a failing audit write is logged, not thrown into the answer', async () => {
    const failing = new RefusalAudit({
      record: async () => {
        throw new Error('database gone');
      },
    } as unknown as AuditService);
    expect(() => failing.note(refused('bad_signature', 'JC1.CCCC'), actor, hour)).not.toThrow();
    await expect(failing.flushed()).resolves.toBeUndefined();
    await failing.onModuleDestroy();
  });
});
