import {
  ConflictException,
  ForbiddenException,
  Injectable,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { CsvFileError, CsvHeaderError } from '../../common/csv-source.js';
import {
  fileRefused,
  importRefused,
  readCatalogCsv,
  Rejections,
} from '../../inspections/catalog/catalog-csv.js';
import type { NormalisedPenaltyDecision } from '../rules/penalty-decision-input.js';
import { PenaltyDecisionsService } from './penalty-decisions.service.js';

/** Columns of a decision CSV (docs/import-formats.md "Penalty decisions"). */
export const DECISION_CSV_REQUIRED = [
  'decision_no',
  'uscc',
  'party_type',
  'decision_date',
  'procedure',
  'domain',
  'violation',
  'legal_basis',
  'delivery_channel',
] as const;
export const DECISION_CSV_OPTIONAL = [
  'kind',
  'penalty_types',
  'fine_fen',
  'confiscated_fen',
  'outcome',
  'lenient_matter_code',
  'education_given',
  'regime_code',
  'delivered_on',
  'recipient',
  'with_notice',
  'exception_reason',
] as const;
/** Rows of one file at most (as the other catalog-style imports). */
export const DECISION_CSV_MAX_ROWS = 5000;

/** Input field -> CSV column, to name a rejected cell by its column. */
const COLUMN_OF: Record<string, string> = {
  decisionNo: 'decision_no',
  enterpriseUscc: 'uscc',
  partyType: 'party_type',
  decisionDate: 'decision_date',
  penaltyTypes: 'penalty_types',
  fineFen: 'fine_fen',
  confiscatedFen: 'confiscated_fen',
  lenientMatterCode: 'lenient_matter_code',
  educationGiven: 'education_given',
  legalBasis: 'legal_basis',
  regimeCode: 'regime_code',
  'delivery.channel': 'delivery_channel',
  'delivery.deliveredOn': 'delivered_on',
  'delivery.recipient': 'recipient',
  'delivery.withNotice': 'with_notice',
  'delivery.exceptionReason': 'exception_reason',
};

export interface DecisionImportReport {
  encoding: string;
  rows: number;
  inserted: number;
  rejected: number;
  rejections: { line: number; field: string; reason: string }[];
  /** the ids of the decisions stored, in file order */
  ids: number[];
}

/**
 * The CSV import of penalty decisions (POST /api/penalty-decisions/import): every row through the
 * one normalisation (checkPenaltyDecision, with the documents' glyph check: PenaltyDecisionsService.check) and the same checks as the API (register,
 * establishment, regime, duplicate number: in the file or stored), then ALL rows recorded in one
 * transaction by PenaltyDecisionsService.recordIn (each with its credit record, notice and
 * delivery). All or nothing: a file with any rejected row stores nothing and the 422 lists every
 * rejection as rows[<line>].<column>. At most 5,000 rows; UTF-8 or GB18030 (common/csv-source.ts).
 */
@Injectable()
export class DecisionImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly decisions: PenaltyDecisionsService,
    private readonly scope: ScopeService,
  ) {}

  /**
   * Imports one file (a path: the upload written to a private temporary file).
   * @throws 422 (file) unreadable; 422 rows[<line>].<column> for every rejected row; 403 a
   *   regulator importing a serious listing its department does not keep, or for another department
   */
  async importFile(
    file: string,
    user: AuthUser,
    actor: Actor,
    department: string | undefined,
    today = todayInShanghai(),
  ): Promise<DecisionImportReport> {
    const started = Date.now();
    let csv;
    try {
      csv = await readCatalogCsv(file, DECISION_CSV_REQUIRED, DECISION_CSV_OPTIONAL, DECISION_CSV_MAX_ROWS);
    } catch (e) {
      if (e instanceof CsvHeaderError || e instanceof CsvFileError || e instanceof RangeError)
        throw fileRefused(e.message.replace(file, 'upload.csv'));
      throw e;
    }
    let dept: string;
    try {
      dept = this.decisions.department(user, department);
    } catch (e) {
      if (e instanceof ForbiddenException) await this.scope.deny(actor, 'penalty_decision', null, e.message);
      throw e;
    }
    const rejections = new Rejections();
    const good: { line: number; d: NormalisedPenaltyDecision }[] = [];
    const seen = new Map<string, number>();
    for (const row of csv.rows) {
      if (row.fieldCountError) {
        rejections.add(row.line, [row.fieldError ?? { field: '(row)', reason: row.fieldCountError }]);
        continue;
      }
      const v = row.values;
      const check = this.decisions.check(
        {
          decisionNo: v.decision_no,
          kind: v.kind,
          enterpriseUscc: v.uscc,
          partyType: v.party_type,
          decisionDate: v.decision_date,
          procedure: v.procedure,
          penaltyTypes: v.penalty_types ?? '',
          fineFen: v.fine_fen,
          confiscatedFen: v.confiscated_fen,
          domain: v.domain,
          outcome: v.outcome,
          lenientMatterCode: v.lenient_matter_code,
          educationGiven: v.education_given,
          violation: v.violation,
          legalBasis: v.legal_basis,
          regimeCode: v.regime_code,
          delivery: {
            channel: v.delivery_channel,
            deliveredOn: v.delivered_on,
            recipient: v.recipient,
            withNotice: v.with_notice,
            exceptionReason: v.exception_reason,
          },
        },
        today,
      );
      if (!check.ok) {
        rejections.add(
          row.line,
          check.errors.map((e) => ({ field: COLUMN_OF[e.field] ?? e.field, reason: e.reason })),
        );
        continue;
      }
      const d = check.decision;
      const earlier = seen.get(d.decisionNo);
      if (earlier !== undefined) {
        rejections.add(row.line, [{ field: 'decision_no', reason: `与第${earlier}行的决定书文号重复` }]);
        continue;
      }
      seen.set(d.decisionNo, row.line);
      const problems: { field: string; reason: string }[] = [];
      try {
        await this.decisions.evaluate(this.dataSource.manager, d);
      } catch (e) {
        if (!(e instanceof UnprocessableEntityException)) throw e;
        const body = e.getResponse() as { errors: { field: string; reason: string }[] };
        problems.push(
          ...body.errors.map((x) => ({ field: COLUMN_OF[x.field] ?? x.field, reason: x.reason })),
        );
      }
      const [dup] = await this.dataSource.query(`SELECT 1 FROM penalty_decision WHERE decision_no = $1`, [
        d.decisionNo,
      ]);
      if (dup) problems.push({ field: 'decision_no', reason: `决定书文号${d.decisionNo}已录入` });
      if (problems.length) rejections.add(row.line, problems);
      else good.push({ line: row.line, d });
    }
    const base = {
      file,
      encoding: csv.encoding,
      rows: csv.rows.length,
      rejectsFile: null,
      elapsedMs: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
    };
    if (rejections.rows)
      throw importRefused({
        ...base,
        rejected: rejections.rows,
        rejections: rejections.all,
        elapsedMs: Date.now() - started,
      });
    for (const { d } of good)
      await this.scope.recordKind(
        user,
        d.kind === 'serious_listing' ? 'listing' : 'administrative_penalty',
        actor,
      );
    const ids = await this.dataSource.transaction(async (m) => {
      const ids: number[] = [];
      for (const { line, d } of good) {
        try {
          ids.push(await this.decisions.recordIn(m, d, dept, user, actor));
        } catch (e) {
          if (e instanceof ConflictException || e instanceof UnprocessableEntityException)
            throw importRefused({
              ...base,
              rejected: 1,
              rejections: [
                {
                  line,
                  field: 'decision_no',
                  reason: String((e.getResponse() as { message?: unknown }).message ?? e.message),
                },
              ],
            });
          throw e;
        }
      }
      await appendAudit(sqlOf(m), actor, {
        action: 'penalty_decision.import',
        entityType: 'penalty_decision',
        entityId: null,
        after: { rows: csv.rows.length, ids },
      });
      return ids;
    });
    return {
      encoding: csv.encoding,
      rows: csv.rows.length,
      inserted: ids.length,
      rejected: 0,
      rejections: [],
      ids,
    };
  }
}
