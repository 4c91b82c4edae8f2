import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type PublicationRegime, type RegimeParams, regimeFor } from '../rules/publication-regimes.js';

interface RegimeRow {
  code: string;
  name: string;
  in_force_from: string;
  in_force_until: string | null;
  alternative_until: string | null;
  params: RegimeParams;
}

/**
 * The publication regimes as stored (table publication_regime, append-only: a rule change is a new
 * row by migration, domain.md 3.2-3.4): what every decision's periods are computed under. Rows are
 * read on each call (a handful; no cache to go stale across instances).
 */
@Injectable()
export class PublicationRegimesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every regime, oldest first. */
  async all(m: EntityManager = this.dataSource.manager): Promise<PublicationRegime[]> {
    const rows: RegimeRow[] = await m.query(
      `SELECT code, name, to_char(in_force_from, 'YYYY-MM-DD') AS in_force_from,
              to_char(in_force_until, 'YYYY-MM-DD') AS in_force_until,
              to_char(alternative_until, 'YYYY-MM-DD') AS alternative_until, params
         FROM publication_regime ORDER BY in_force_from, code`,
    );
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      inForceFrom: r.in_force_from,
      inForceUntil: r.in_force_until,
      alternativeUntil: r.alternative_until,
      params: r.params,
    }));
  }

  /**
   * The regime a decision of `decisionDate` is computed under (regimeFor over the stored rows).
   * @throws RangeError when none is in force then, or the requested code is unknown or not in force
   */
  async forDecision(
    decisionDate: string,
    requested?: string | null,
    m?: EntityManager,
  ): Promise<PublicationRegime> {
    return regimeFor(decisionDate, await this.all(m), requested);
  }
}
