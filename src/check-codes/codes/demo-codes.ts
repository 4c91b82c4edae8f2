import { type INestApplicationContext, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { TriggersService } from '../../inspections/triggers/triggers.service.js';
import { CodesService } from './codes.service.js';

/** The demo item the demo's event checks take (market: 食品经营许可及经营过程检查). */
export const DEMO_CODE_ITEM = 'YP-SC-02';
/** Most event checks the demo proposes before the draw of inspectors gives demo-inspector one. */
const MAX_TRIGGERS = 6;

async function userOf(ds: DataSource, username: string): Promise<AuthUser | null> {
  const [u] = await ds.query(
    `SELECT id::int AS id, username, display_name, role, department, credential_no FROM app_user
     WHERE username = $1 AND deleted_at IS NULL`,
    [username],
  );
  if (!u) return null;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    department: u.department,
    credentialNo: u.credential_no,
    enterpriseId: null,
    enterpriseUscc: null,
  };
}

const actorOfUser = (u: AuthUser, requestId: string | null = null): Actor => ({
  userId: u.id,
  name: u.username,
  role: u.role,
  department: u.department,
  requestId,
});

/**
 * The inspection-code demo (issue 12): demo-inspector holds a code checked in under, so that its
 * phone pages (我的检查码, the QR and check word), the verify page and the workbench's 检查码 show one.
 * Through the services operators use: if demo-inspector has no code yet, an open task of its
 * (routine of a published plan or event) gets the visit's code; without one, demo-regulator
 * proposes and accepts event checks (complaints about item YP-SC-02) first of demo-enterprise's
 * enterprise, then of other enterprises in business, until the seeded draw of inspectors (least
 * loaded first) assigns demo-inspector, at most 6; then demo-inspector applies for the code and
 * checks in. The visit stays in use (no result): the demo records it. Idempotent: nothing when
 * demo-inspector has a code already, or the demo users or item are missing. Never in production.
 * @returns the code number, or null when nothing was done
 */
export async function loadDemoCode(app: INestApplicationContext, actor: Actor): Promise<string | null> {
  const logger = new Logger('DemoData');
  if (app.get<AppConfig>(APP_CONFIG).NODE_ENV === 'production') return null;
  const ds = app.get(DataSource);
  const inspector = await userOf(ds, 'demo-inspector');
  const regulator = await userOf(ds, 'demo-regulator');
  if (!inspector || !regulator) return null;
  const [had] = await ds.query(
    `SELECT 1 FROM check_code c JOIN check_code_task ct ON ct.code_id = c.id
     JOIN inspection_task_inspector ti ON ti.task_id = ct.task_id AND ti.user_id = $1 AND ti.role = 'assigned' LIMIT 1`,
    [inspector.id],
  );
  if (had) return null;
  const codes = app.get(CodesService);
  const inspectorActor: Actor = { ...actorOfUser(inspector), requestId: actor.requestId };
  const openTasks = async (): Promise<number[]> =>
    (
      await ds.query(
        `SELECT t.id FROM inspection_task t JOIN inspection_task_inspector ti ON ti.task_id = t.id
         WHERE ti.user_id = $1 AND ti.role = 'assigned' AND t.status IN ('assigned','in_progress')
           AND t.window_start <= $2::date AND t.window_end >= $2::date ORDER BY t.window_end, t.id`,
        [inspector.id, todayInShanghai()],
      )
    ).map((r: { id: string }) => Number(r.id));
  const tryIssue = async (): Promise<string | null> => {
    for (const taskId of await openTasks()) {
      try {
        const code = await codes.issue(taskId, inspector, inspectorActor);
        await codes.event(code.id, 'check_in', inspector, inspectorActor);
        return code.codeNo;
      } catch (e) {
        logger.log(`demo code: task ${taskId} takes no code now (${(e as Error).message})`);
      }
    }
    return null;
  };
  let codeNo = await tryIssue();
  if (!codeNo) {
    const [item] = await ds.query(`SELECT 1 FROM inspection_item WHERE code = $1 AND active`, [
      DEMO_CODE_ITEM,
    ]);
    if (!item) return null;
    const targets: { uscc: string }[] = await ds.query(
      `SELECT e.uscc FROM enterprise e LEFT JOIN app_user u ON u.enterprise_id = e.id AND u.username = 'demo-enterprise'
       WHERE e.status = 'active' ORDER BY (u.id IS NULL), e.uscc LIMIT $1`,
      [MAX_TRIGGERS],
    );
    const triggers = app.get(TriggersService);
    const regulatorActor: Actor = { ...actorOfUser(regulator), requestId: actor.requestId };
    for (const [i, t] of targets.entries()) {
      const proposed = await triggers.create(
        {
          enterpriseUscc: t.uscc,
          kind: 'complaint',
          reason: '消费者投诉：购买的预包装食品超过保质期，要求核查经营过程',
          sourceRef: `12315-DEMO-${String(i + 1).padStart(4, '0')}`,
          department: 'market',
          itemCodes: [DEMO_CODE_ITEM],
          receivedOn: todayInShanghai(),
        },
        regulatorActor,
      );
      try {
        await triggers.accept(proposed.id, {}, regulatorActor);
      } catch (e) {
        logger.log(`inspection-code demo: trigger ${proposed.id} not accepted (${(e as Error).message})`);
        return null;
      }
      codeNo = await tryIssue();
      if (codeNo) break;
    }
  }
  if (codeNo) logger.log(`inspection-code demo: demo-inspector checked in under code ${codeNo}`);
  return codeNo;
}
