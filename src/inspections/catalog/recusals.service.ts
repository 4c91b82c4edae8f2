import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { TriggersService } from '../triggers/triggers.service.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { ScopeService } from '../../auth/scope.service.js';
import { unprocessable } from '../../http/api-errors.js';
import type {
  CreateRecusalDto,
  ListRecusalsQuery,
  RecusalView,
  ReviewRecusalDto,
} from './dto/catalog.dto.js';
import { recusalBodyProblems, reviewProblems, reviewRefusal } from './rules/catalog-input.js';

const RECUSAL_SELECT = `SELECT r.id::int AS id, r.source, r.reason, r.status, r.requested_at, r.requested_by, r.reviewed_at, r.review_note,
    r.enterprise_id, u.id::int AS inspector_id, u.display_name, u.credential_no, u.department, e.uscc, e.name AS enterprise_name,
    EXISTS (SELECT 1 FROM inspection_task_inspector ti JOIN inspection_task t ON t.id = ti.task_id
            WHERE ti.user_id = u.id AND t.enterprise_id = r.enterprise_id AND ti.role = 'assigned') AS assigned_here
  FROM recusal r JOIN app_user u ON u.id = r.inspector_id JOIN enterprise e ON e.id = r.enterprise_id`;

/**
 * A stored declaration as `viewer` may see it: an enterprise user sees the credential number it
 * gave and the inspector's name only when the inspector is (or was) assigned to one of its tasks,
 * else the surname followed by ** (typing credential numbers must not list the bureau's staff by
 * name: the adversarial run of issue 11).
 */
function recusalView(r: Record<string, unknown>, viewer: Pick<AuthUser, 'role'> | null): RecusalView {
  const forEnterprise = viewer?.role === 'enterprise';
  return {
    id: r.id as number,
    inspector: {
      userId: forEnterprise ? null : (r.inspector_id as number),
      displayName:
        forEnterprise && !r.assigned_here ? maskedName(r.display_name as string) : (r.display_name as string),
      credentialNo: r.credential_no as string,
      department: forEnterprise ? null : (r.department as string),
    },
    enterprise: { uscc: r.uscc as string, name: r.enterprise_name as string },
    source: r.source as string,
    reason: r.reason as string,
    status: r.status as string,
    requestedAt: new Date(r.requested_at as string).toISOString(),
    reviewedAt: r.reviewed_at ? new Date(r.reviewed_at as string).toISOString() : null,
    reviewNote: (r.review_note as string | null) ?? null,
  };
}

/** The first character of a name and ** (张**). */
function maskedName(name: string): string {
  return `${[...name][0] ?? ''}**`;
}

/**
 * Conflict declarations for recusal (回避, domain.md 5.1): an inspector with an interest in an
 * enterprise withdraws on their own (申报), on the enterprise's request (申请) or as a regulator
 * records; a regulator of the inspector's department reviews each (审核: 同意 / 驳回). An approved
 * declaration makes the draw skip the inspector for that enterprise and take the next one
 * (rules/inspector-assignment.ts), recorded as skipped. One pending or approved declaration per
 * inspector and enterprise (schema recusal_pair_key); a rejected one may be declared again.
 */
@Injectable()
export class RecusalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
    private readonly triggers: TriggersService,
  ) {}

  /**
   * Declarations, pending first then newest, filtered (status, inspector user id, enterprise USCC,
   * department), as the user may see them: an admin all; a regulator those about its department's
   * inspectors; an inspector its own; an enterprise user the requests of its enterprise.
   */
  async list(q: ListRecusalsQuery, user: AuthUser): Promise<{ items: RecusalView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      params.push(v);
      where.push(cond.replaceAll('?', `$${params.length}`));
    };
    if (user.role === 'regulator') add('u.department = ?', user.department);
    if (user.role === 'inspector') add('r.inspector_id = ?', user.id);
    if (user.role === 'enterprise') {
      add('r.enterprise_id = ?', user.enterpriseId ?? 0);
      where.push(`r.source = 'enterprise'`);
    }
    if (q.status) add('r.status = ?', q.status);
    if (q.inspector) add('r.inspector_id = ?', q.inspector);
    if (q.enterprise) add('e.uscc = ?', q.enterprise);
    if (q.department) add('u.department = ?', q.department);
    const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = await this.dataSource.query(
      `${RECUSAL_SELECT}${filter} ORDER BY (r.status = 'pending') DESC, r.requested_at DESC, r.id DESC
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM recusal r JOIN app_user u ON u.id = r.inspector_id
       JOIN enterprise e ON e.id = r.enterprise_id${filter}`,
      params,
    );
    return { items: rows.map((r: Record<string, unknown>) => recusalView(r, user)), total };
  }

  /**
   * Records a declaration, pending review (audited `recusal.create`). The body's fields depend on
   * the role (rules/catalog-input.ts RECUSAL_FIELDS).
   * @throws UnprocessableEntityException fields of another role, missing ones, an enterprise not
   *   in the register, an inspector unknown (by user id or credential number)
   * @throws ForbiddenException (403, audited) a regulator recording one about another department's inspector
   * @throws ConflictException a pending or approved declaration of the pair exists
   */
  async create(dto: CreateRecusalDto, user: AuthUser, actor: Actor): Promise<RecusalView> {
    const { source, problems } = recusalBodyProblems(user.role, { ...dto });
    if (problems.length || !source) throw unprocessable(problems);
    return this.dataSource.transaction(async (m) => {
      let inspector: { id: number; department: string; username: string } | undefined;
      const fieldProblems: { field: string; reason: string }[] = [];
      if (user.role === 'inspector')
        inspector = { id: user.id, department: user.department!, username: user.username };
      else {
        const [row] = await m.query(
          `SELECT id::int AS id, department, username FROM app_user WHERE role = 'inspector' AND deleted_at IS NULL
           AND ${user.role === 'enterprise' ? 'credential_no' : 'id'} = $1`,
          [user.role === 'enterprise' ? dto.inspectorCredentialNo!.trim() : dto.inspectorUserId],
        );
        inspector = row;
        if (!row)
          fieldProblems.push(
            user.role === 'enterprise'
              ? {
                  field: 'inspectorCredentialNo',
                  reason: `no inspector holds credential number ${dto.inspectorCredentialNo!.trim()}`,
                }
              : { field: 'inspectorUserId', reason: `user ${dto.inspectorUserId} is not an inspector` },
          );
      }
      let enterpriseId: number | null = null;
      if (user.role === 'enterprise') enterpriseId = user.enterpriseId;
      else {
        const [e] = await m.query(`SELECT id::int AS id FROM enterprise WHERE uscc = $1`, [
          dto.enterpriseUscc,
        ]);
        if (!e)
          fieldProblems.push({
            field: 'enterpriseUscc',
            reason: `enterprise ${dto.enterpriseUscc} is not in the register`,
          });
        else enterpriseId = e.id;
      }
      if (fieldProblems.length || !inspector || enterpriseId === null) throw unprocessable(fieldProblems);
      if (user.role === 'regulator' && inspector.department !== user.department) {
        const reason = `a regulator of ${user.department} records declarations about inspectors of ${user.department} only, not ${inspector.username} of ${inspector.department}`;
        await this.scope.deny(actor, 'recusal', null, reason);
        throw new ForbiddenException(reason);
      }
      const [open] = await m.query(
        `SELECT id::int AS id, status FROM recusal WHERE inspector_id = $1 AND enterprise_id = $2 AND status <> 'rejected'`,
        [inspector.id, enterpriseId],
      );
      if (open)
        throw new ConflictException(
          `a declaration for this inspector and enterprise is ${open.status === 'pending' ? 'already pending review' : 'already approved'} (recusal ${open.id})`,
        );
      const [{ id }] = await m.query(
        `INSERT INTO recusal (inspector_id, enterprise_id, source, reason, requested_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING id::int AS id`,
        [inspector.id, enterpriseId, source, dto.reason.trim(), user.id],
      );
      const [row] = await m.query(`${RECUSAL_SELECT} WHERE r.id = $1`, [id]);
      const view = recusalView(row, null);
      await appendAudit(sqlOf(m), actor, {
        action: 'recusal.create',
        entityType: 'recusal',
        entityId: id,
        after: { inspector: view.inspector, enterprise: view.enterprise.uscc, source, reason: view.reason },
      });
      return recusalView(row, user);
    });
  }

  /**
   * Decides a pending declaration (audited `recusal.review`, before and after). Approved, the
   * inspector leaves the open tasks it has at the enterprise: each is staffed again
   * (TriggersService.restaffAfterRecusal), in the same transaction.
   * @throws NotFoundException unknown id
   * @throws ForbiddenException (403, audited) not a regulator of the inspector's department, or the
   *   regulator who recorded the declaration (four eyes)
   * @throws UnprocessableEntityException decision not approved/rejected; a rejection without a note
   * @throws ConflictException already decided
   * @throws UnprocessableEntityException (422 `inspectors`) approving would leave a task short of inspectors
   */
  async review(id: number, dto: ReviewRecusalDto, user: AuthUser, actor: Actor): Promise<RecusalView> {
    const problems = reviewProblems(dto.decision, dto.note);
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query(`${RECUSAL_SELECT} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
      if (!row) throw new NotFoundException(`recusal ${id} does not exist`);
      const refusal = reviewRefusal(
        user,
        row.department,
        row.requested_by === null ? null : Number(row.requested_by),
      );
      if (refusal) {
        await this.scope.deny(actor, 'recusal', String(id), refusal);
        throw new ForbiddenException(refusal);
      }
      if (row.status !== 'pending') throw new ConflictException(`recusal ${id} was already ${row.status}`);
      if (problems.length) throw unprocessable(problems);
      await m.query(
        `UPDATE recusal SET status = $2, reviewed_by = $3, reviewed_at = now(), review_note = $4 WHERE id = $1`,
        [id, dto.decision, user.id, dto.note?.trim() || null],
      );
      // approved, it takes effect on the open tasks the inspector already has at the enterprise
      const restaffed =
        dto.decision === 'approved'
          ? await this.triggers.restaffAfterRecusal(m, Number(row.enterprise_id), Number(row.inspector_id))
          : [];
      const [after] = await m.query(`${RECUSAL_SELECT} WHERE r.id = $1`, [id]);
      await appendAudit(sqlOf(m), actor, {
        action: 'recusal.review',
        entityType: 'recusal',
        entityId: id,
        before: { status: 'pending' },
        after: { status: dto.decision, note: dto.note?.trim() || null, restaffedTasks: restaffed },
      });
      return recusalView(after, user);
    });
  }
}
