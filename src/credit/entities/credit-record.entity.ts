import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CreditRecordKind, Polarity } from '../rules/record-kinds.js';

/** A credit record (信用记录) of one enterprise; kind-specific columns are null for other kinds. */
@Entity('credit_record')
export class CreditRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: number;

  @Column({ name: 'enterprise_id', type: 'bigint' })
  enterpriseId!: number;

  @Column({ type: 'text' })
  kind!: CreditRecordKind;

  /** Date of the fact (decision, listing, complaint, inspection...), YYYY-MM-DD. */
  @Column({ name: 'record_date', type: 'date' })
  recordDate!: string;

  /** True when the source gave no date and the import used its snapshot date. */
  @Column({ name: 'date_estimated', default: false })
  dateEstimated!: boolean;

  @Column({ name: 'source_department', type: 'text' })
  sourceDepartment!: string;

  @Column({ type: 'text' })
  polarity!: Polarity;

  /**
   * The record's own end date: the first day it no longer counts (SQL `counting`: valid_until > d);
   * for a published penalty the day after its publication period's last day; null = open.
   */
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil!: string | null;

  @Column({ name: 'decision_no', type: 'text', nullable: true })
  decisionNo!: string | null;

  @Column({ type: 'text', nullable: true })
  procedure!: string | null;

  @Column({ name: 'penalty_types', type: 'text', array: true, nullable: true })
  penaltyTypes!: string[] | null;

  @Column({ name: 'penalty_severity', type: 'text', nullable: true })
  penaltySeverity!: string | null;

  /** Fine in fen (分). */
  @Column({ name: 'fine_fen', type: 'bigint', nullable: true })
  fineFen!: number | null;

  @Column({ name: 'list_type', type: 'text', nullable: true })
  listType!: string | null;

  @Column({ name: 'listing_reason', type: 'text', nullable: true })
  listingReason!: string | null;

  @Column({ name: 'listed_on', type: 'date', nullable: true })
  listedOn!: string | null;

  @Column({ name: 'removed_on', type: 'date', nullable: true })
  removedOn!: string | null;

  @Column({ type: 'text', nullable: true })
  channel!: string | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  /** Amount in fen (unpaid tax, enforcement). */
  @Column({ name: 'amount_fen', type: 'bigint', nullable: true })
  amountFen!: number | null;

  /** Registration change: the particular changed (CHANGE_ITEMS: legal_representative, address...). */
  @Column({ name: 'change_item', type: 'text', nullable: true })
  changeItem!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  /** A published penalty's publication window (公示期), YYYY-MM-DD; null for other kinds, unpublished or pre-2021 penalties. */
  @Column({ name: 'publication_start', type: 'date', nullable: true })
  publicationStart!: string | null;

  /** The publication period's last day (Civil Code art. 201-203), YYYY-MM-DD. */
  @Column({ name: 'publication_last_day', type: 'date', nullable: true })
  publicationLastDay!: string | null;

  /** The first day credit repair may be applied for; null when none can be. */
  @Column({ name: 'earliest_repair_on', type: 'date', nullable: true })
  earliestRepairOn!: string | null;

  /** Publication never ended early (Order 45 第十五条: revocation, suspension...). */
  @Column({ name: 'never_ended_early', default: false })
  neverEndedEarly!: boolean;

  /** The publication regime the window was computed under (publication_regime.code). */
  @Column({ name: 'regime_code', type: 'text', nullable: true })
  regimeCode!: string | null;

  /** A date of the window lies in a year the holiday calendar does not cover yet. */
  @Column({ name: 'period_provisional', default: false })
  periodProvisional!: boolean;

  /** The day credit repair was granted (信用修复): from then on the record no longer counts. */
  @Column({ name: 'repaired_on', type: 'date', nullable: true })
  repairedOn!: string | null;

  @Column({ name: 'source_system', type: 'text' })
  sourceSystem!: string;

  @Column({ name: 'source_key', type: 'text' })
  sourceKey!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
