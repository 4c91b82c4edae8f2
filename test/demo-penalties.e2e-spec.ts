import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '../src/audit/actor.js';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { loadDemoPenalties } from '../src/demo/demo-penalties.js';
import { TestApp, createTestApp } from './helpers.js';

/** The demo decisions (issue 13): what the reminder job and the pages find on the demo data. */
describe('demo penalty decisions', () => {
  let t: TestApp;
  const today = todayInShanghai();
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemoData(t.app, 40, false, systemActor('test'));
  });
  afterAll(() => t.close());

  it('the demo enterprise has a fine whose repair opens within days, and a 首违不罚 without a record; one never-early; one late notice', async () => {
    const rows = await t.dataSource.query(
      `SELECT d.decision_no, d.outcome, d.credit_record_id, to_char(r.earliest_repair_on, 'YYYY-MM-DD') AS er,
              r.never_ended_early, u.username IS NOT NULL AS own
         FROM penalty_decision d LEFT JOIN credit_record r ON r.id = d.credit_record_id
         LEFT JOIN app_user u ON u.enterprise_id = d.enterprise_id AND u.username = 'demo-enterprise'
        ORDER BY d.decision_no`,
    );
    const own = rows.filter((r: { own: boolean }) => r.own);
    const soon = own.find((r: { er: string | null }) => r.er !== null);
    expect(soon).toBeDefined();
    expect(soon.er > today && soon.er <= addDays(today, 7)).toBe(true);
    expect(own.find((r: { outcome: string }) => r.outcome === 'first_offence')?.credit_record_id).toBeNull();
    expect(rows.some((r: { never_ended_early: boolean }) => r.never_ended_early)).toBe(true);
    const rep = await t.admin
      .get(`/api/penalty-decisions/report?from=${addDays(today, -365)}&to=${today}`)
      .expect(200);
    expect(rep.body.exceptions).toHaveLength(1);
    // the decision's reason, then the later delivery's: each says something of its own
    expect(rep.body.exceptions[0].reasons).toEqual(['告知书待加盖公章', '公章加盖后次日邮寄补送']);
    // loading again adds nothing
    expect(await loadDemoPenalties(t.app, systemActor('test'))).toBe(0);
  });
});
