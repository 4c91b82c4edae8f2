import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { ScopeService } from '../../auth/scope.service.js';
import { CsvHeaderError } from '../../common/csv-source.js';
import { RejectSink } from '../../common/import-report.js';
import { unprocessable } from '../../http/api-errors.js';
import { CatalogImportReport, fileRefused, readCatalogCsv, Rejections } from './catalog-csv.js';
import type { CreateItemDto, ItemView, ListItemsQuery, UpdateItemDto } from './dto/catalog.dto.js';
import {
  changedItemFields,
  ITEM_CSV_OPTIONAL,
  ITEM_CSV_REQUIRED,
  ItemInput,
  itemFromRow,
  itemProblems,
  lockedItemChange,
} from './rules/catalog-input.js';

/** Most rows of one item CSV (Shanghai's whole item library held 888 items in 2025). */
export const ITEM_IMPORT_MAX_ROWS = 5000;

const ITEM_COLUMNS = `id::int AS id, code, name, department, legal_basis, check_method, industries, requirements,
  full_coverage, full_coverage_per_year, active`;

/** A stored row as the API answers it. */
export function itemView(r: Record<string, unknown>): ItemView {
  return {
    id: r.id as number,
    code: r.code as string,
    name: r.name as string,
    department: r.department as string,
    legalBasis: r.legal_basis as string,
    checkMethod: r.check_method as ItemView['checkMethod'],
    industries: r.industries as string[],
    requirements: r.requirements as string[],
    fullCoverage: r.full_coverage as boolean,
    fullCoveragePerYear: (r.full_coverage_per_year as number | null) ?? null,
    active: r.active as boolean,
  };
}

const inputOf = ({ id: _id, ...rest }: ItemView): ItemInput => rest;

/** Who acts: a signed-in user, or null for the operator's CLI and the system (not limited by department). */
export type Caller = Pick<AuthUser, 'id' | 'role' | 'department'> | null;

/**
 * The inspection item list (随机抽查事项清单, domain.md 5.1: a published list of random-check
 * items, each with its department and legal basis). Items are never deleted: plans, draws and
 * tasks name them; an item is deactivated instead, and an item a published plan lists keeps its
 * content (rules/catalog-input.ts lockedItemChange). Regulators keep their own department's items,
 * admins and the CLI every department's. Every write is audited in its transaction.
 */
@Injectable()
export class ItemsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
  ) {}

  /** Items by department and code, filtered (department, active, q: part of code or name), one page. */
  async list(q: ListItemsQuery): Promise<{ items: ItemView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      params.push(v);
      where.push(cond.replaceAll('?', `$${params.length}`));
    };
    if (q.department) add('department = ?', q.department);
    if (q.active !== undefined) add('active = ?', q.active);
    if (q.q) add(`(code ILIKE ? OR name ILIKE ?)`, `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS} FROM inspection_item ${filter} ORDER BY department, code
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inspection_item ${filter}`,
      params,
    );
    return { items: rows.map(itemView), total };
  }

  /** One item by code. @throws NotFoundException */
  async get(code: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<ItemView> {
    const [row] = await m.query(
      `SELECT ${ITEM_COLUMNS} FROM inspection_item WHERE code = $1${lock ? ' FOR UPDATE' : ''}`,
      [code],
    );
    if (!row) throw new NotFoundException(`inspection item ${code} is not in the item list`);
    return itemView(row);
  }

  /**
   * Adds an item (audited `inspection_item.create`). Defaults: every industry, not full-coverage, active.
   * @throws ForbiddenException (403, audited) a regulator adding an item of another department
   * @throws UnprocessableEntityException every field at fault (itemProblems)
   * @throws ConflictException the code is taken
   */
  async create(dto: CreateItemDto, caller: Caller, actor: Actor): Promise<ItemView> {
    const item: ItemInput = {
      code: dto.code,
      name: dto.name?.trim() ?? '',
      department: dto.department ?? '',
      legalBasis: dto.legalBasis?.trim() ?? '',
      checkMethod: dto.checkMethod as ItemInput['checkMethod'],
      industries: dto.industries ?? [],
      requirements: (dto.requirements ?? []).map((r) => r.trim()),
      fullCoverage: dto.fullCoverage ?? false,
      fullCoveragePerYear: dto.fullCoveragePerYear ?? null,
      active: dto.active ?? true,
    };
    const problems = itemProblems(item);
    if (problems.length) throw unprocessable(problems);
    await this.ownDepartment(caller, actor, item.department, item.code);
    return this.dataSource.transaction(async (m) => {
      const [taken] = await m.query(`SELECT 1 FROM inspection_item WHERE code = $1`, [item.code]);
      if (taken) throw new ConflictException(`inspection item ${item.code} exists already`);
      const stored = itemView((await this.insert(m, item))[0]);
      await appendAudit(sqlOf(m), actor, {
        action: 'inspection_item.create',
        entityType: 'inspection_item',
        entityId: item.code,
        after: inputOf(stored),
      });
      return stored;
    });
  }

  /**
   * Changes an item (audited `inspection_item.update`, before and after): the fields given, the
   * result checked as a whole item. `active: false` deactivates it (no new plan or qualification
   * takes it; plans and tasks that name it keep it).
   * @throws NotFoundException unknown code
   * @throws ForbiddenException (403, audited) a regulator changing an item of another department, or moving one there
   * @throws UnprocessableEntityException every field at fault
   * @throws ConflictException the item is listed by a published plan and more than `active` would
   *   change, or its department would change while inspectors are qualified for it
   */
  async update(code: string, dto: UpdateItemDto, caller: Caller, actor: Actor): Promise<ItemView> {
    return this.dataSource.transaction(async (m) => {
      const stored = await this.get(code, m, true);
      const before = inputOf(stored);
      const next: ItemInput = {
        ...before,
        ...Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)),
        code,
      };
      if (dto.name !== undefined) next.name = dto.name.trim();
      if (dto.legalBasis !== undefined) next.legalBasis = dto.legalBasis.trim();
      if (dto.requirements !== undefined) next.requirements = dto.requirements.map((r) => r.trim());
      // turning full coverage off drops its frequency unless one is given
      if (dto.fullCoverage === false && dto.fullCoveragePerYear === undefined)
        next.fullCoveragePerYear = null;
      const problems = itemProblems(next);
      if (problems.length) throw unprocessable(problems);
      await this.ownDepartment(caller, actor, stored.department, code);
      if (next.department !== stored.department)
        await this.ownDepartment(caller, actor, next.department, code);
      const changed = changedItemFields(before, next);
      if (!changed.length) return stored;
      await this.refuseLocked(m, stored.id, changed);
      const [row] = await this.save(m, stored.id, next);
      const after = itemView(row);
      await appendAudit(sqlOf(m), actor, {
        action: 'inspection_item.update',
        entityType: 'inspection_item',
        entityId: code,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      });
      return after;
    });
  }

  /**
   * Imports an item CSV (columns in docs/import-formats.md "Inspection items"): new codes are
   * added, known ones changed as PATCH would change them (the same checks), identical ones left.
   * All or nothing: when any row is rejected (a field, a code given twice, an item of a published
   * plan whose content would change, for a regulator a row of another department) nothing is
   * stored and the report lists every rejected row by line and column. One audit entry
   * (`inspection_item.import`: counts, codes added and changed) in the import's transaction.
   * @param display the file's name in messages (the API's upload has none of its own)
   * @throws UnprocessableEntityException (field `(file)`) a file that cannot be read: wrong columns, truncated, too many rows
   */
  async importFile(
    file: string,
    caller: Caller,
    actor: Actor,
    opts: { rejectsFile?: string | null; display?: string } = {},
  ): Promise<CatalogImportReport> {
    const started = Date.now();
    const display = opts.display ?? file;
    const csv = await this.readFile(file, display);
    const rejections = new Rejections(new RejectSink(opts.rejectsFile ?? null));
    const items: { line: number; item: ItemInput }[] = [];
    const firstLine = new Map<string, number>();
    let foreign = 0;
    for (const r of csv.rows) {
      if (r.fieldCountError) {
        rejections.add(r.line, [r.fieldError ?? { field: '(row)', reason: r.fieldCountError }]);
        continue;
      }
      const { item, problems } = itemFromRow(r.values);
      const seen = firstLine.get(item.code);
      if (item.code && seen !== undefined)
        problems.push({ field: 'code', reason: `item ${item.code} already given at line ${seen}` });
      else if (item.code) firstLine.set(item.code, r.line);
      if (
        caller?.role === 'regulator' &&
        item.department !== caller.department &&
        !problems.some((p) => p.field === 'department')
      ) {
        foreign++;
        problems.push({
          field: 'department',
          reason: `a regulator of ${caller.department} imports items of ${caller.department} only, not of ${item.department}`,
        });
      }
      if (problems.length) rejections.add(r.line, problems);
      else items.push({ line: r.line, item });
    }
    if (foreign)
      await this.scope.deny(
        actor,
        'inspection_item',
        null,
        `item import by a regulator of ${caller!.department}: ${foreign} row(s) of other departments refused`,
      );
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    if (!rejections.rows)
      await this.dataSource
        .transaction(async (m) => {
          // one import at a time: two files changing the same items would interleave
          await m.query(`SELECT pg_advisory_xact_lock(hashtext('import:inspection_item'))`);
          const stored = new Map<string, ItemView>(
            (
              await m.query(
                `SELECT ${ITEM_COLUMNS} FROM inspection_item WHERE code = ANY($1::text[]) FOR UPDATE`,
                [items.map((i) => i.item.code)],
              )
            ).map((r: Record<string, unknown>) => [r.code as string, itemView(r)]),
          );
          const added: string[] = [];
          const changed: string[] = [];
          for (const { line, item } of items) {
            const old = stored.get(item.code);
            if (!old) {
              await this.insert(m, item);
              added.push(item.code);
              continue;
            }
            const diff = changedItemFields(inputOf(old), item);
            if (!diff.length) {
              counts.unchanged++;
              continue;
            }
            const refusal = await this.lockRefusal(m, old.id, diff);
            if (refusal) {
              rejections.add(line, [
                { field: diff.includes('department') ? 'department' : '(row)', reason: refusal },
              ]);
              continue;
            }
            await this.save(m, old.id, item);
            changed.push(item.code);
          }
          if (rejections.rows) {
            counts.unchanged = 0;
            throw new RollBack();
          }
          counts.inserted = added.length;
          counts.updated = changed.length;
          await appendAudit(sqlOf(m), actor, {
            action: 'inspection_item.import',
            entityType: 'inspection_item',
            entityId: null,
            after: {
              file: display,
              encoding: csv.encoding,
              rows: csv.rows.length,
              ...counts,
              added,
              changed,
            },
          });
        })
        .catch((e) => {
          if (!(e instanceof RollBack)) throw e;
        });
    return {
      file: display,
      encoding: csv.encoding,
      rows: csv.rows.length,
      ...(rejections.rows ? { inserted: 0, updated: 0, unchanged: 0 } : counts),
      rejected: rejections.rows,
      rejections: rejections.all,
      rejectsFile: await rejections.close(),
      elapsedMs: Date.now() - started,
    };
  }

  private async readFile(file: string, display: string) {
    try {
      return await readCatalogCsv(file, ITEM_CSV_REQUIRED, ITEM_CSV_OPTIONAL, ITEM_IMPORT_MAX_ROWS);
    } catch (e) {
      if (e instanceof CsvHeaderError || e instanceof RangeError)
        throw fileRefused(e.message.split(file).join(display));
      throw e;
    }
  }

  /** Refuses (403, audited) a regulator acting on another department's item. */
  private async ownDepartment(caller: Caller, actor: Actor, department: string, code: string): Promise<void> {
    if (caller?.role !== 'regulator' || caller.department === department) return;
    const reason = `a regulator of ${caller.department} keeps the items of ${caller.department} only, not of ${department}`;
    await this.scope.deny(actor, 'inspection_item', code, reason);
    throw new ForbiddenException(reason);
  }

  /** Why a change of `changed` fields may not be stored on item `id` (lockedItemChange), or null. */
  private async lockRefusal(
    m: EntityManager,
    id: number,
    changed: (keyof ItemInput)[],
  ): Promise<string | null> {
    const [plan] = await m.query(
      `SELECT p.plan_no, p.version FROM inspection_plan_item pi JOIN inspection_plan p ON p.id = pi.plan_id
       WHERE pi.item_id = $1 AND p.status <> 'draft' ORDER BY p.published_at LIMIT 1`,
      [id],
    );
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM inspector_qualification WHERE item_id = $1`,
      [id],
    );
    return lockedItemChange(changed, plan ? `${plan.plan_no} (version ${plan.version})` : null, n);
  }

  private async refuseLocked(m: EntityManager, id: number, changed: (keyof ItemInput)[]): Promise<void> {
    const refusal = await this.lockRefusal(m, id, changed);
    if (refusal) throw new ConflictException(refusal);
  }

  private insert(m: EntityManager, i: ItemInput): Promise<Record<string, unknown>[]> {
    return m.query(
      `INSERT INTO inspection_item (code, name, department, legal_basis, check_method, industries, requirements,
         full_coverage, full_coverage_per_year, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10) RETURNING ${ITEM_COLUMNS}`,
      [
        i.code,
        i.name,
        i.department,
        i.legalBasis,
        i.checkMethod,
        i.industries,
        JSON.stringify(i.requirements),
        i.fullCoverage,
        i.fullCoveragePerYear,
        i.active,
      ],
    );
  }

  private async save(m: EntityManager, id: number, i: ItemInput): Promise<Record<string, unknown>[]> {
    const [rows] = await m.query(
      `UPDATE inspection_item SET name = $2, department = $3, legal_basis = $4, check_method = $5, industries = $6,
         requirements = $7::jsonb, full_coverage = $8, full_coverage_per_year = $9, active = $10, updated_at = now()
       WHERE id = $1 RETURNING ${ITEM_COLUMNS}`,
      [
        id,
        i.name,
        i.department,
        i.legalBasis,
        i.checkMethod,
        i.industries,
        JSON.stringify(i.requirements),
        i.fullCoverage,
        i.fullCoveragePerYear,
        i.active,
      ],
    );
    return rows;
  }
}

/** Thrown inside an import's transaction to undo it after a late rejection. */
class RollBack extends Error {}
