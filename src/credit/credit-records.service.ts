import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../audit/actor.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { todayInShanghai } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { PublicationRegimesService } from '../penalties/regimes/publication-regimes.service.js';
import { lowerFineThresholds } from '../penalties/rules/publication-regimes.js';
import { unprocessable } from '../http/api-errors.js';
import { EnterprisesService } from '../enterprises/enterprises.service.js';
import { CreateCreditRecordDto } from './dto/credit-record.dto.js';
import { CreditRecord } from './entities/credit-record.entity.js';
import { PeriodInputs, beforeEstablishmentReason, checkCreditRecord } from './rules/credit-record-input.js';
import { type RecordCounting, recordCounting } from './rules/record-counting.js';
import { ScoreResult } from './rules/scorecard.js';
import { scorecardInForce } from './scorecard-in-force.js';
import { ScoringService } from './scoring.service.js';

export interface CreatedCreditRecord {
  record: CreditRecord;
  /** false when the same source system and key was already stored (nothing written) */
  created: boolean;
  /** the enterprise's new score, computed in the same transaction */
  score: ScoreResult;
}

/** Credit records (信用记录) of registered enterprises. */
@Injectable()
export class CreditRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enterprises: EnterprisesService,
    private readonly scoring: ScoringService,
    private readonly regimes: PublicationRegimesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores a credit record and rescores its enterprise at once, in one transaction.
   * A record with a (sourceSystem, sourceKey) already stored for this enterprise is not stored
   * again (`created: false`, the stored record returned).
   * @throws NotFoundException (404) unknown enterprise; ConflictException (409) the source key
   *   belongs to another enterprise's record; 422 with every field error (checkCreditRecord,
   *   including a record dated after today), or a record dated before the enterprise was
   *   established (beforeEstablishmentReason)
   * A stored record writes its audit entry (`credit_record.create`: the record and the new score)
   * in the same transaction; a repeat changes nothing and writes none.
   */
  async create(uscc: string, dto: CreateCreditRecordDto, actor: Actor): Promise<CreatedCreditRecord> {
    const check = checkCreditRecord(dto, todayInShanghai(), { periods: await this.periodInputs() });
    if (!check.ok) throw unprocessable(check.errors);
    return this.dataSource.transaction(async (m) => {
      const enterpriseId = await this.enterprises.idOf(uscc, m);
      return this.createIn(m, enterpriseId, uscc, dto, actor);
    });
  }

  /**
   * `create` inside the caller's transaction `m` (the caller's other writes and this record, its
   * rescoring and its audit entry commit together or not at all): the one path that stores a
   * credit record and rescores its enterprise. Used by `create` and by recording an inspection
   * task's result (inspections/tasks/tasks.service.ts).
   * @param enterpriseId the enterprise's id, resolved by the caller in `m`; `uscc` its USCC (audit)
   * @throws as `create`: 422 field errors (checkCreditRecord, beforeEstablishmentReason), 409 the
   *   source key belongs to another enterprise's record, 503 a full rescoring holds the lock too long
   */
  async createIn(
    m: EntityManager,
    enterpriseId: number,
    uscc: string,
    dto: CreateCreditRecordDto,
    actor: Actor,
  ): Promise<CreatedCreditRecord> {
    const check = checkCreditRecord(dto, todayInShanghai(), { periods: await this.periodInputs(m) });
    if (!check.ok) throw unprocessable(check.errors);
    const sourceSystem = dto.sourceSystem ?? 'api';
    const sourceKey = dto.sourceKey ?? randomUUID();
    const [{ established_on: establishedOn }] = await m.query(
      `SELECT established_on FROM enterprise WHERE id = $1`,
      [enterpriseId],
    );
    const early = beforeEstablishmentReason(check.record.recordDate, establishedOn);
    if (early) throw unprocessable([{ field: 'recordDate', reason: early }]);
    const repo = m.getRepository(CreditRecord);
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(CreditRecord)
      .values({ ...check.record, enterpriseId, sourceSystem, sourceKey } as Partial<CreditRecord> as never)
      .orIgnore()
      .returning('id')
      .execute();
    const created = inserted.raw.length > 0;
    const record = await repo.findOneByOrFail({ sourceSystem, sourceKey });
    if (Number(record.enterpriseId) !== Number(enterpriseId)) {
      throw new ConflictException(
        `source key ${sourceSystem}/${sourceKey} belongs to a record of another enterprise`,
      );
    }
    // a repeat changes nothing: its score is computed, not written (nor audited)
    const score = created
      ? await this.scoring.rescoreEnterprise(m, enterpriseId)
      : await this.scoring.computeScore(m, enterpriseId);
    if (created)
      await appendAudit(sqlOf(m), actor, {
        action: 'credit_record.create',
        entityType: 'credit_record',
        entityId: record.id,
        after: { uscc, record, score: { score: score.score, tier: score.tier } },
      });
    return { record, created, score };
  }

  /**
   * What a penalty's publication window is computed with: the stored regimes (publication_regime)
   * and the configured lower-amount thresholds (LOWER_FINE_*_YUAN, in fen).
   */
  async periodInputs(m?: EntityManager): Promise<PeriodInputs> {
    return { regimes: await this.regimes.all(m), thresholds: lowerFineThresholds(this.config) };
  }

  /**
   * Records of one enterprise, newest first, a page at a time (page from 1), each with its
   * counting state today (recordCounting: the windows of the scorecard in force today).
   * @returns the page and the total number of records
   * @throws NotFoundException (404) unknown enterprise
   */
  async list(
    uscc: string,
    page = 1,
    pageSize = 100,
  ): Promise<{ items: (CreditRecord & { counting: RecordCounting })[]; total: number }> {
    const enterpriseId = await this.enterprises.idOf(uscc);
    const [items, total] = await this.dataSource.getRepository(CreditRecord).findAndCount({
      where: { enterpriseId },
      order: { recordDate: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const today = todayInShanghai();
    const card = await scorecardInForce(today, this.dataSource.manager);
    const [{ prepaid_issuer: prepaidIssuer }] = await this.dataSource.query(
      `SELECT prepaid_issuer FROM enterprise WHERE id = $1`,
      [enterpriseId],
    );
    return {
      items: items.map((r) =>
        Object.assign(r, { counting: recordCounting(r, { prepaidIssuer }, card, today) }),
      ),
      total,
    };
  }
}
