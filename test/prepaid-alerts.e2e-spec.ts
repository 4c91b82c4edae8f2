import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '../src/audit/actor.js';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { disposalDueOn } from '../src/prepaid/alerts/rules/alert-rules.js';
import { EvaluationService } from '../src/prepaid/evaluation/evaluation.service.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { insertIssuer, insertModel, YELLOW } from './prepaid-fixtures.js';
import { insertInspector, insertItem } from './triggers-fixtures.js';

/**
 * Prepaid-risk alerts (issue 14, alerts slice) on the real database: an alert opened by the daily job is
 * assigned to a regulator of the department, disposed of by an interview (its regulatory_measure credit
 * record) and an on-site check (an event-triggered check accepted into a task with two inspectors),
 * given feedback and closed: the issuer's credit records show the 监管措施 record. Others' department
 * 403 (audited), wrong steps 409 naming the status, bad input 422 by field; list filters and overdue.
 */
describe('prepaid alerts', () => {
  let t: TestApp;
  let market: Agent;
  let marketUser: { id: number };
  let health: Agent;
  let inspectorAgent: Agent;
  let issuer: { id: number; uscc: string };
  let late: { id: number; uscc: string };
  let alertId: number;
  let lateAlertId: number;
  const today = todayInShanghai();

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: market, user: marketUser } = await t.signIn('regulator'));
    ({ agent: health } = await t.signIn('regulator', { department: 'health' }));
    ({ agent: inspectorAgent } = await t.signIn('inspector'));
    issuer = await insertIssuer(t.dataSource, { name: '上海预警健身有限公司', street: '五角场街道' });
    late = await insertIssuer(t.dataSource, {
      name: '上海逾期美发有限公司',
      street: '殷行街道',
      sector: 'beauty_hair',
    });
    const item = await insertItem(t.dataSource, 'YF-01', 'market');
    await insertInspector(t, 'market', [item]);
    await insertInspector(t, 'market', [item]);
    await insertModel(t.dataSource, 'test-yellow', YELLOW, '2000-01-01');
    await t.app.get(EvaluationService).evaluate(today, systemActor('test'), 'schedule');
    const ids = await t.dataSource.query(
      `SELECT id, enterprise_id FROM prepaid_alert ORDER BY enterprise_id`,
    );
    alertId = Number(ids.find((r: { enterprise_id: number }) => Number(r.enterprise_id) === issuer.id).id);
    lateAlertId = Number(ids.find((r: { enterprise_id: number }) => Number(r.enterprise_id) === late.id).id);
  }, 60_000);
  afterAll(async () => t?.close());

  it('lists alerts with their due day by level and the assignees', async () => {
    const res = await market.get('/api/prepaid/alerts').expect(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items[0]).toMatchObject({
      status: 'open',
      level: 'yellow',
      openedOn: today,
      dueOn: disposalDueOn(today, 'yellow').dueOn,
      overdue: false,
      assignee: null,
    });
    const bySector = await market.get('/api/prepaid/alerts?sector=beauty_hair').expect(200);
    expect(bySector.body.items.map((a: { id: number }) => a.id)).toEqual([lateAlertId]);
    const byStreet = await market
      .get(`/api/prepaid/alerts?street=${encodeURIComponent('五角场街道')}`)
      .expect(200);
    expect(byStreet.body.items.map((a: { id: number }) => a.id)).toEqual([alertId]);
    await market.get('/api/prepaid/alerts?level=purple').expect(422);
    await inspectorAgent.get('/api/prepaid/alerts').expect(403);
    const assignees = await market.get('/api/prepaid/assignees').expect(200);
    expect(assignees.body).toEqual([{ id: marketUser.id, displayName: expect.any(String) }]);
  });

  it('flags an alert past its due day without a disposal as overdue', async () => {
    await t.dataSource.query(`UPDATE prepaid_alert SET due_on = $2 WHERE id = $1`, [
      lateAlertId,
      addDays(today, -1),
    ]);
    const res = await market.get('/api/prepaid/alerts?overdue=true').expect(200);
    expect(res.body.items.map((a: { id: number }) => a.id)).toEqual([lateAlertId]);
    const map = await market.get('/api/prepaid/risk-map').expect(200);
    expect(map.body.streets.find((s: { street: string }) => s.street === '殷行街道')).toMatchObject({
      openAlerts: 1,
      overdueAlerts: 1,
    });
  });

  it('refuses others and wrong steps', async () => {
    const denied = await health
      .post(`/api/prepaid/alerts/${alertId}/assign`)
      .send({ assigneeId: marketUser.id })
      .expect(403);
    expect(denied.body.message).toContain('market');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied' AND entity_type = 'prepaid_alert'`,
    );
    expect(n).toBe(1);
    const early = await market
      .post(`/api/prepaid/alerts/${alertId}/disposals`)
      .send({ kind: 'interview', decidedOn: today, note: '约谈' })
      .expect(409);
    expect(early.body.message).toContain('is open');
    await market.post(`/api/prepaid/alerts/${alertId}/close`).send({}).expect(409);
    const bad = await market
      .post(`/api/prepaid/alerts/${alertId}/assign`)
      .send({ assigneeId: 999999 })
      .expect(422);
    expect(bad.body.errors[0].field).toBe('assigneeId');
    await market.post('/api/prepaid/alerts/999999/assign').send({ assigneeId: marketUser.id }).expect(404);
  });

  it('assign, an interview (credit record) and an on-site check (trigger accepted into a task)', async () => {
    const assigned = await market
      .post(`/api/prepaid/alerts/${alertId}/assign`)
      .send({ assigneeId: marketUser.id })
      .expect(200);
    expect(assigned.body).toMatchObject({ status: 'assigned', assignee: { id: marketUser.id } });
    const bad = await market
      .post(`/api/prepaid/alerts/${alertId}/disposals`)
      .send({ kind: 'referral', decidedOn: addDays(today, 1), note: ' ' })
      .expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'decidedOn',
      'note',
      'referredTo',
    ]);
    const interview = await market
      .post(`/api/prepaid/alerts/${alertId}/disposals`)
      .send({ kind: 'interview', decidedOn: today, note: '约谈法定代表人，要求补足存管资金' })
      .expect(200);
    expect(interview.body.status).toBe('disposing');
    // a double click: the same interview again (also two at once) is refused, no second credit record
    const twice = await Promise.all(
      [1, 2].map(() =>
        market
          .post(`/api/prepaid/alerts/${alertId}/disposals`)
          .send({ kind: 'interview', decidedOn: today, note: '约谈法定代表人，要求补足存管资金' }),
      ),
    );
    expect(twice.map((r) => r.status)).toEqual([409, 409]);
    // the same person again: unchanged, nothing recorded (the events and audit below show one assign)
    const same = await market
      .post(`/api/prepaid/alerts/${alertId}/assign`)
      .send({ assigneeId: marketUser.id })
      .expect(200);
    expect(same.body).toMatchObject({ status: 'disposing', assignee: { id: marketUser.id } });
    expect(interview.body.disposals[0]).toMatchObject({
      kind: 'interview',
      creditRecordId: expect.any(Number),
    });
    const onsite = await market
      .post(`/api/prepaid/alerts/${alertId}/disposals`)
      .send({
        kind: 'onsite_check',
        decidedOn: today,
        note: '现场核查门店经营和退款情况',
        itemCodes: ['YF-01'],
      })
      .expect(200);
    const d = onsite.body.disposals[1];
    expect(d).toMatchObject({
      kind: 'onsite_check',
      triggerId: expect.any(Number),
      taskId: expect.any(Number),
      taskStatus: 'assigned',
    });
    const [trigger] = await t.dataSource.query(
      `SELECT kind, source_ref, status, task_id FROM inspection_trigger WHERE id = $1`,
      [d.triggerId],
    );
    expect(trigger).toMatchObject({
      kind: 'data_alert',
      source_ref: `预付卡预警 #${alertId}`,
      status: 'accepted',
      task_id: d.taskId,
    });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM inspection_task_inspector WHERE task_id = $1 AND role = 'assigned'`,
      [d.taskId],
    );
    expect(n).toBe(2);
    // a new measure sent twice at once (a double click): one recorded, one credit record
    const letters = await Promise.all(
      [1, 2].map(() =>
        market
          .post(`/api/prepaid/alerts/${alertId}/disposals`)
          .send({ kind: 'warning_letter', decidedOn: today, note: '责令限期补足存管资金' }),
      ),
    );
    expect(letters.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('an on-site check that cannot be staffed records nothing and dismisses its trigger', async () => {
    await market
      .post(`/api/prepaid/alerts/${lateAlertId}/assign`)
      .send({ assigneeId: marketUser.id })
      .expect(200);
    const item = await insertItem(t.dataSource, 'YF-02', 'market');
    void item;
    const res = await market
      .post(`/api/prepaid/alerts/${lateAlertId}/disposals`)
      .send({ kind: 'onsite_check', decidedOn: today, note: '现场检查', itemCodes: ['YF-02'] })
      .expect(422);
    expect(res.body.errors[0].field).toBe('inspectors');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM prepaid_disposal WHERE alert_id = $1`,
      [lateAlertId],
    );
    expect(n).toBe(0);
    const [g] = await t.dataSource.query(`SELECT status FROM inspection_trigger WHERE source_ref = $1`, [
      `预付卡预警 #${lateAlertId}`,
    ]);
    expect(g.status).toBe('dismissed');
  });

  it('feedback then close: the regulatory_measure record appears in the credit records', async () => {
    await market
      .post(`/api/prepaid/alerts/${alertId}/feedback`)
      .send({ findings: '', issuerAction: 'x', outcome: 'risk_reduced' })
      .expect(422);
    // the reasons of these endpoints are Chinese, like the rest of the prepaid API
    const noOutcome = await market
      .post(`/api/prepaid/alerts/${alertId}/feedback`)
      .send({ findings: 'x', issuerAction: 'x' })
      .expect(422);
    expect(JSON.stringify(noOutcome.body.errors)).toContain('请选择处置结果');
    const noItems = await market
      .post(`/api/prepaid/alerts/${alertId}/disposals`)
      .send({ kind: 'onsite_check', decidedOn: today, note: '现场检查' })
      .expect(422);
    expect(noItems.body.errors).toContainEqual({
      field: 'itemCodes',
      reason: '现场检查至少选择一项检查事项',
    });
    const fb = await market
      .post(`/api/prepaid/alerts/${alertId}/feedback`)
      .send({
        findings: '存管资金不足 40%',
        issuerAction: '已补足存管资金并暂停发卡',
        outcome: 'risk_reduced',
      })
      .expect(200);
    expect(fb.body).toMatchObject({ status: 'feedback', outcome: 'risk_reduced' });
    await market
      .post(`/api/prepaid/alerts/${alertId}/disposals`)
      .send({ kind: 'warning_letter', decidedOn: today, note: 'x' })
      .expect(409);
    const closed = await market
      .post(`/api/prepaid/alerts/${alertId}/close`)
      .send({ note: '办结' })
      .expect(200);
    expect(closed.body).toMatchObject({ id: alertId, status: 'closed', creditRecordId: expect.any(Number) });
    expect(closed.body.events.map((e: { kind: string }) => e.kind)).toEqual([
      'opened',
      'assigned',
      'disposal',
      'disposal',
      'disposal',
      'feedback',
      'closed',
    ]);
    const records = await market.get(`/api/enterprises/${issuer.uscc}/credit-records`).expect(200);
    const measures = records.body.filter((r: { kind: string }) => r.kind === 'regulatory_measure');
    expect(measures).toHaveLength(3); // interview, warning letter (once), closing
    const closing = measures.find((r: { id: number }) => r.id === closed.body.creditRecordId);
    expect(closing.subject).toContain('存管资金不足 40%');
    expect(closing.subject).toContain('已补足存管资金并暂停发卡');
    expect(closing.polarity).toBe('neutral');
    // the on-site check's task has no result yet: the record says the check is pending
    const [{ task_id: pendingTask }] = await t.dataSource.query(
      `SELECT task_id::int FROM prepaid_disposal WHERE alert_id = $1 AND kind = 'onsite_check'`,
      [alertId],
    );
    expect(closing.subject).toContain(`现场检查任务 #${pendingTask} 尚未完成（待检查）`);
    await market.post(`/api/prepaid/alerts/${alertId}/close`).send({}).expect(409);
    // audited, each step
    const actions = (
      await t.dataSource.query(
        `SELECT action FROM audit_log WHERE entity_type = 'prepaid_alert' AND entity_id = $1 ORDER BY seq`,
        [String(alertId)],
      )
    ).map((r: { action: string }) => r.action);
    expect(actions).toEqual([
      'access.denied',
      'prepaid_alert.assign',
      'prepaid_alert.dispose',
      'prepaid_alert.dispose',
      'prepaid_alert.dispose',
      'prepaid_alert.feedback',
      'prepaid_alert.close',
    ]);
  });

  it('a closed alert keeps its id; a day before its closing opens none; yellow again later: a new alert', async () => {
    const svc = t.app.get(EvaluationService);
    // closed today: yesterday's evaluation (a past day) re-explains but opens no alert dated before it
    const before = await svc.evaluate(addDays(today, -1), systemActor('test'), 'schedule');
    expect(before).toMatchObject({ alertsOpened: 0, alertsRaised: 0 });
    // as if the alert had been opened and closed three days ago, the issuer last evaluated then
    const then = addDays(today, -3);
    await t.dataSource.query(
      `UPDATE prepaid_alert SET opened_on = $2, closed_at = ($2::date + time '12:00') AT TIME ZONE 'Asia/Shanghai' WHERE id = $1`,
      [alertId, then],
    );
    await t.dataSource.query(`UPDATE prepaid_issuer SET evaluated_on = $2 WHERE enterprise_id = $1`, [
      issuer.id,
      then,
    ]);
    const run = await svc.evaluate(addDays(today, -2), systemActor('test'), 'schedule');
    expect(run).toMatchObject({ alertsOpened: 1, alertsRaised: 0 });
    const rows = await t.dataSource.query(
      `SELECT id, status FROM prepaid_alert WHERE enterprise_id = $1 ORDER BY id`,
      [issuer.id],
    );
    expect(rows.map((r: { id: number; status: string }) => [Number(r.id), r.status])).toEqual([
      [alertId, 'closed'],
      [expect.any(Number), 'open'],
    ]);
  });
});
