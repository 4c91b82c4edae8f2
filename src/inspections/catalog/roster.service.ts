import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { ScopeService } from '../../auth/scope.service.js';
import { CsvHeaderError } from '../../common/csv-source.js';
import { RejectSink } from '../../common/import-report.js';
import { unprocessable } from '../../http/api-errors.js';
import { CatalogImportReport, fileRefused, readCatalogCsv, Rejections } from './catalog-csv.js';
import type { InspectorView, ListInspectorsQuery, UpdateInspectorDto } from './dto/catalog.dto.js';
import type { Caller } from './items.service.js';
import {
  areaProblems,
  FieldProblem,
  QualifiableItem,
  qualificationProblems,
  ROSTER_CSV_OPTIONAL,
  ROSTER_CSV_REQUIRED,
  rosterFromRow,
} from './rules/catalog-input.js';

/** Most rows of one roster CSV. */
export const ROSTER_IMPORT_MAX_ROWS = 5000;

const INSPECTOR_SELECT = `SELECT u.id::int AS user_id, u.username, u.display_name, u.department, u.credential_no, u.active,
    coalesce(p.on_roster, false) AS on_roster, coalesce(p.areas, '{}') AS areas,
    coalesce((SELECT json_agg(json_build_object('id', i.id::int, 'code', i.code, 'name', i.name) ORDER BY i.code)
              FROM inspector_qualification q JOIN inspection_item i ON i.id = q.item_id WHERE q.user_id = u.id), '[]') AS items
  FROM app_user u LEFT JOIN inspector_profile p ON p.user_id = u.id
  WHERE u.role = 'inspector' AND u.deleted_at IS NULL`;

function inspectorView(r: Record<string, unknown>): InspectorView {
  return {
    userId: r.user_id as number,
    username: r.username as string,
    displayName: r.display_name as string,
    department: r.department as string,
    credentialNo: r.credential_no as string,
    active: r.active as boolean,
    onRoster: r.on_roster as boolean,
    areas: r.areas as string[],
    items: r.items as InspectorView['items'],
  };
}

/** What a change sets: null keeps what is stored. */
interface ProfileChange {
  areas: string[] | null;
  onRoster: boolean | null;
  itemIds: number[] | null;
}

/** The audited shape of a profile. */
const profileOf = (v: InspectorView) => ({
  onRoster: v.onRoster,
  areas: v.areas,
  items: v.items.map((i) => i.code),
});

/**
 * The inspector roster (执法检查人员名录库, domain.md 5.1): the inspector users (department and
 * credential number come from the account) with what the roster adds: the streets covered, on the
 * roster or not, the items each is qualified for (its own department's). The draw takes a task's
 * inspectors from the active accounts on the roster of the task's department qualified for all
 * its items. An inspector without a profile is not on the roster; the first change creates it.
 * Regulators keep their own department's inspectors, admins and the CLI everyone's.
 */
@Injectable()
export class RosterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
  ) {}

  /** Inspectors by department and credential number, filtered (department, item code, on roster, account active, q), one page. */
  async list(q: ListInspectorsQuery): Promise<{ items: InspectorView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      params.push(v);
      where.push(cond.replaceAll('?', `$${params.length}`));
    };
    if (q.department) add('u.department = ?', q.department);
    if (q.onRoster !== undefined) add('coalesce(p.on_roster, false) = ?', q.onRoster);
    if (q.active !== undefined) add('u.active = ?', q.active);
    if (q.itemCode)
      add(
        `EXISTS (SELECT 1 FROM inspector_qualification q JOIN inspection_item i ON i.id = q.item_id WHERE q.user_id = u.id AND i.code = ?)`,
        q.itemCode,
      );
    if (q.q)
      add(
        `(u.display_name ILIKE ? OR u.username ILIKE ? OR u.credential_no ILIKE ?)`,
        `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`,
      );
    const filter = where.map((w) => ` AND ${w}`).join('');
    const rows = await this.dataSource.query(
      `${INSPECTOR_SELECT}${filter} ORDER BY u.department, u.credential_no LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM app_user u LEFT JOIN inspector_profile p ON p.user_id = u.id
       WHERE u.role = 'inspector' AND u.deleted_at IS NULL${filter}`,
      params,
    );
    return { items: rows.map(inspectorView), total };
  }

  /** One inspector of the roster. @throws NotFoundException not an inspector user (or deleted) */
  async get(userId: number, m: EntityManager = this.dataSource.manager): Promise<InspectorView> {
    const [row] = await m.query(`${INSPECTOR_SELECT} AND u.id = $1`, [userId]);
    if (!row) throw new NotFoundException(`user ${userId} is not an inspector`);
    return inspectorView(row);
  }

  /**
   * Changes an inspector's roster entry (audited `inspector_profile.update`, before and after):
   * what is given replaces what is stored (`itemCodes` the whole list of qualifications).
   * @throws NotFoundException not an inspector
   * @throws ForbiddenException (403, audited) a regulator of another department
   * @throws UnprocessableEntityException every field at fault: areas, itemCodes[i] (unknown, another
   *   department's, deactivated, repeated)
   */
  async update(
    userId: number,
    dto: UpdateInspectorDto,
    caller: Caller,
    actor: Actor,
  ): Promise<InspectorView> {
    const current = await this.get(userId);
    await this.ownDepartment(caller, actor, current);
    return this.dataSource.transaction(async (m) => {
      // the profile row (or the user's) locked: two changes of one inspector queue
      await m.query(`SELECT id FROM app_user WHERE id = $1 FOR UPDATE`, [userId]);
      const before = await this.get(userId, m);
      const [had] = await m.query(`SELECT 1 FROM inspector_profile WHERE user_id = $1`, [userId]);
      const problems: FieldProblem[] = [];
      if (dto.areas) problems.push(...areaProblems(dto.areas.map((a) => a.trim())));
      let itemIds: number[] | null = null;
      if (dto.itemCodes) {
        const known = await this.itemsByCode(m, dto.itemCodes);
        const held = new Set(before.items.map((i) => i.id));
        const q = qualificationProblems(before.department, dto.itemCodes, known, held);
        problems.push(...q.problems);
        itemIds = q.itemIds;
      }
      if (problems.length) throw unprocessable(problems);
      const after = await this.apply(m, userId, {
        areas: dto.areas?.map((a) => a.trim()) ?? null,
        onRoster: dto.onRoster ?? null,
        itemIds,
      });
      if (!had || JSON.stringify(profileOf(before)) !== JSON.stringify(profileOf(after)))
        await appendAudit(sqlOf(m), actor, {
          action: 'inspector_profile.update',
          entityType: 'inspector_profile',
          entityId: userId,
          before: profileOf(before),
          after: profileOf(after),
        });
      return after;
    });
  }

  /**
   * Imports a roster CSV (docs/import-formats.md "Inspector roster"): each row names an inspector
   * user by `username` or `credential_no` (unknown users, users who are not inspectors and a
   * department other than the user's are rejected with the reason) and sets the columns the file
   * has. All or nothing, like the item import; one audit entry (`inspector_profile.import`).
   * @throws UnprocessableEntityException (field `(file)`) a file that cannot be read
   */
  async importFile(
    file: string,
    caller: Caller,
    actor: Actor,
    opts: { rejectsFile?: string | null; display?: string } = {},
  ): Promise<CatalogImportReport> {
    const started = Date.now();
    const display = opts.display ?? file;
    let csv;
    try {
      csv = await readCatalogCsv(file, ROSTER_CSV_REQUIRED, ROSTER_CSV_OPTIONAL, ROSTER_IMPORT_MAX_ROWS);
    } catch (e) {
      if (e instanceof CsvHeaderError || e instanceof RangeError)
        throw fileRefused(e.message.split(file).join(display));
      throw e;
    }
    if (!csv.header.includes('username') && !csv.header.includes('credential_no'))
      throw fileRefused(`${display}: a column username or credential_no (执法证号) must name each inspector`);
    const rejections = new Rejections(new RejectSink(opts.rejectsFile ?? null));
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    let foreign = 0;
    await this.dataSource
      .transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('import:inspector_profile'))`);
        const users = await m.query(
          `SELECT u.id::int AS id, u.username, u.credential_no, u.role, u.department, p.user_id IS NOT NULL AS has_profile
           FROM app_user u LEFT JOIN inspector_profile p ON p.user_id = u.id WHERE u.deleted_at IS NULL`,
        );
        const byName = new Map<string, (typeof users)[number]>(
          users.map((u: { username: string }) => [u.username, u]),
        );
        const byCredential = new Map<string, (typeof users)[number]>(
          users
            .filter((u: { credential_no: string | null }) => u.credential_no)
            .map((u: { credential_no: string }) => [u.credential_no, u]),
        );
        const allCodes = csv.rows.flatMap((r) => rosterFromRow(r.values, csv.header).row.itemCodes ?? []);
        const known = await this.itemsByCode(m, allCodes);
        const seen = new Map<number, number>();
        const planned: { line: number; userId: number; change: ProfileChange; hadProfile: boolean }[] = [];
        for (const r of csv.rows) {
          if (r.fieldCountError) {
            rejections.add(r.line, [r.fieldError ?? { field: '(row)', reason: r.fieldCountError }]);
            continue;
          }
          const { row, problems } = rosterFromRow(r.values, csv.header);
          const u = row.username ? byName.get(row.username) : byCredential.get(row.credentialNo!);
          if (!u) {
            problems.unshift(
              row.username
                ? { field: 'username', reason: `no user '${row.username}'` }
                : {
                    field: 'credential_no',
                    reason: `no inspector holds credential number '${row.credentialNo}'`,
                  },
            );
          } else if (u.role !== 'inspector')
            problems.unshift({
              field: row.username ? 'username' : 'credential_no',
              reason: `user ${u.username} is a ${u.role}, not an inspector`,
            });
          else {
            if (row.username && row.credentialNo && u.credential_no !== row.credentialNo)
              problems.push({
                field: 'credential_no',
                reason: `user ${u.username} holds credential number ${u.credential_no}, not ${row.credentialNo}`,
              });
            if (
              row.department &&
              u.department !== row.department &&
              !problems.some((p) => p.field === 'department')
            )
              problems.push({
                field: 'department',
                reason: `user ${u.username} is an inspector of ${u.department}, not of ${row.department}`,
              });
            if (caller?.role === 'regulator' && u.department !== caller.department) {
              foreign++;
              problems.push({
                field: 'department',
                reason: `a regulator of ${caller.department} keeps the roster of ${caller.department} only`,
              });
            }
            const first = seen.get(u.id);
            if (first !== undefined)
              problems.push({
                field: '(row)',
                reason: `inspector ${u.username} already given at line ${first}`,
              });
            else seen.set(u.id, r.line);
          }
          let itemIds: number[] | null = null;
          if (u && u.role === 'inspector' && row.itemCodes) {
            const held = new Set<number>(
              (
                await m.query(`SELECT item_id::int AS id FROM inspector_qualification WHERE user_id = $1`, [
                  u.id,
                ])
              ).map((x: { id: number }) => x.id),
            );
            const q = qualificationProblems(u.department, row.itemCodes, known, held, 'items');
            problems.push(...q.problems);
            itemIds = q.itemIds;
          }
          if (problems.length) rejections.add(r.line, problems);
          else
            planned.push({
              line: r.line,
              userId: u.id,
              hadProfile: u.has_profile,
              change: { areas: row.areas, onRoster: row.onRoster, itemIds },
            });
        }
        if (rejections.rows) throw new RollBack();
        const changed: string[] = [];
        const added: string[] = [];
        for (const p of planned) {
          const before = await this.get(p.userId, m);
          const after = await this.apply(m, p.userId, p.change);
          if (!p.hadProfile) {
            counts.inserted++;
            added.push(after.username);
          } else if (JSON.stringify(profileOf(before)) !== JSON.stringify(profileOf(after))) {
            counts.updated++;
            changed.push(after.username);
          } else counts.unchanged++;
        }
        await appendAudit(sqlOf(m), actor, {
          action: 'inspector_profile.import',
          entityType: 'inspector_profile',
          entityId: null,
          after: { file: display, encoding: csv.encoding, rows: csv.rows.length, ...counts, added, changed },
        });
      })
      .catch((e) => {
        if (!(e instanceof RollBack)) throw e;
      });
    if (foreign)
      await this.scope.deny(
        actor,
        'inspector_profile',
        null,
        `roster import by a regulator of ${caller!.department}: ${foreign} row(s) of other departments refused`,
      );
    const refused = rejections.rows > 0;
    return {
      file: display,
      encoding: csv.encoding,
      rows: csv.rows.length,
      ...(refused ? { inserted: 0, updated: 0, unchanged: 0 } : counts),
      rejected: rejections.rows,
      rejections: rejections.all,
      rejectsFile: await rejections.close(),
      elapsedMs: Date.now() - started,
    };
  }

  /** Stores a change (creating the profile, on the roster by default) and answers the entry after it. */
  private async apply(m: EntityManager, userId: number, c: ProfileChange): Promise<InspectorView> {
    await m.query(
      `INSERT INTO inspector_profile (user_id, areas, on_roster) VALUES ($1, coalesce($2::text[], '{}'), coalesce($3, true))
       ON CONFLICT (user_id) DO UPDATE SET areas = coalesce($2::text[], inspector_profile.areas),
         on_roster = coalesce($3, inspector_profile.on_roster),
         updated_at = CASE WHEN ($2::text[] IS NOT NULL AND $2::text[] IS DISTINCT FROM inspector_profile.areas)
                             OR ($3 IS NOT NULL AND $3 IS DISTINCT FROM inspector_profile.on_roster)
                           THEN now() ELSE inspector_profile.updated_at END`,
      [userId, c.areas, c.onRoster],
    );
    if (c.itemIds) {
      await m.query(
        `DELETE FROM inspector_qualification WHERE user_id = $1 AND NOT (item_id = ANY($2::bigint[]))`,
        [userId, c.itemIds],
      );
      await m.query(
        `INSERT INTO inspector_qualification (user_id, item_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
        [userId, c.itemIds],
      );
    }
    return this.get(userId, m);
  }

  /** The items of `codes` (known ones only), by code. */
  private async itemsByCode(
    m: EntityManager,
    codes: readonly string[],
  ): Promise<Map<string, QualifiableItem>> {
    const rows: QualifiableItem[] = await m.query(
      `SELECT id::int AS id, code, department, active FROM inspection_item WHERE code = ANY($1::text[])`,
      [[...new Set(codes)]],
    );
    return new Map(rows.map((r) => [r.code, r]));
  }

  /** Refuses (403, audited) a regulator changing an inspector of another department. */
  private async ownDepartment(caller: Caller, actor: Actor, inspector: InspectorView): Promise<void> {
    if (caller?.role !== 'regulator' || caller.department === inspector.department) return;
    const reason = `a regulator of ${caller.department} keeps the roster of ${caller.department} only, not inspector ${inspector.username} of ${inspector.department}`;
    await this.scope.deny(actor, 'inspector_profile', String(inspector.userId), reason);
    throw new ForbiddenException(reason);
  }
}

/** Thrown inside an import's transaction to undo it after a rejection. */
class RollBack extends Error {}
