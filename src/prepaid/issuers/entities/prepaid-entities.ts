import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { GuaranteeKind, PrepaidSector, RiskLevel, SignalKind } from '../../rules/risk-facts.js';

/**
 * The facts about prepaid-card issuers (issue 14; migrations/1765929600000-prepaid-early-warning.ts),
 * one entity per table. Money is fen (bigint, read as number: every amount is at most
 * MAX_AMOUNT_FEN, exact in JavaScript); dates are 'YYYY-MM-DD' text. The service writes with SQL in
 * its transactions (audit entry in the same transaction); these entities type the rows and serve
 * readers that prefer the repository API.
 */
const fen = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };
const id = { to: (v: number) => v, from: (v: string) => Number(v) };

/** 预付卡经营者: an enterprise of the register that sells single-purpose prepaid cards. */
@Entity('prepaid_issuer')
export class PrepaidIssuer {
  @PrimaryColumn({ name: 'enterprise_id', type: 'bigint', transformer: id })
  enterpriseId!: number;
  @Column({ type: 'text' }) sector!: PrepaidSector;
  /** 接入上海市单用途预付消费卡协同监管服务平台的日期 */
  @Column({ name: 'platform_registered_on', type: 'date', nullable: true })
  platformRegisteredOn!: string | null;
  @Column({ name: 'platform_code', type: 'text', nullable: true }) platformCode!: string | null;
  @Column({ name: 'guarantee_kind', type: 'text', default: 'none' }) guaranteeKind!: GuaranteeKind;
  @Column({ name: 'escrow_bank', type: 'text', nullable: true }) escrowBank!: string | null;
  @Column({ name: 'selling_since', type: 'date', nullable: true }) sellingSince!: string | null;
  /** the last evaluation's level (written by the evaluation) */
  @Column({ name: 'current_level', type: 'text', nullable: true }) currentLevel!: RiskLevel | null;
  @Column({ name: 'current_level_since', type: 'date', nullable: true }) currentLevelSince!: string | null;
  @Column({ name: 'evaluated_on', type: 'date', nullable: true }) evaluatedOn!: string | null;
  @Column({ name: 'source_system', type: 'text', default: 'api' }) sourceSystem!: string;
  @Column({ name: 'source_key', type: 'text', nullable: true }) sourceKey!: string | null;
  @Column({ name: 'created_by', type: 'bigint', nullable: true, transformer: fen }) createdBy!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** 门店 */
@Entity('prepaid_store')
export class PrepaidStore {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: number;
  @Column({ name: 'enterprise_id', type: 'bigint', transformer: id }) enterpriseId!: number;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) address!: string;
  /** 街道 (the risk map groups by it) */
  @Column({ type: 'text', nullable: true }) street!: string | null;
  @Column({ name: 'opened_on', type: 'date', nullable: true }) openedOn!: string | null;
  @Column({ name: 'lease_ends_on', type: 'date', nullable: true }) leaseEndsOn!: string | null;
  @Column({ name: 'closed_on', type: 'date', nullable: true }) closedOn!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** 收款账户 (only the last four digits kept); one open (untilOn null) per issuer. */
@Entity('prepaid_payee_account')
export class PrepaidPayeeAccount {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: number;
  @Column({ name: 'enterprise_id', type: 'bigint', transformer: id }) enterpriseId!: number;
  @Column({ type: 'text' }) bank!: string;
  @Column({ name: 'account_tail', type: 'char', length: 4 }) accountTail!: string;
  @Column({ type: 'boolean', default: false }) escrow!: boolean;
  @Column({ name: 'from_on', type: 'date' }) fromOn!: string;
  @Column({ name: 'until_on', type: 'date', nullable: true }) untilOn!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** 报送数据: one row per report; a correction keeps the replaced row (supersededBy). */
@Entity('prepaid_report')
export class PrepaidReport {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: number;
  @Column({ name: 'enterprise_id', type: 'bigint', transformer: id }) enterpriseId!: number;
  @Column({ name: 'period_kind', type: 'text' }) periodKind!: 'quarter' | 'month';
  @Column({ name: 'period_start', type: 'date' }) periodStart!: string;
  @Column({ name: 'period_end', type: 'date' }) periodEnd!: string;
  @Column({ name: 'submitted_on', type: 'date' }) submittedOn!: string;
  @Column({ name: 'balance_fen', type: 'bigint', transformer: fen }) balanceFen!: number;
  @Column({ name: 'cards_sold_count', type: 'integer' }) cardsSoldCount!: number;
  @Column({ name: 'cards_sold_fen', type: 'bigint', transformer: fen }) cardsSoldFen!: number;
  @Column({ name: 'max_card_fen', type: 'bigint', nullable: true, transformer: fen }) maxCardFen!:
    number | null;
  @Column({ name: 'anonymous_over_limit', type: 'integer', default: 0 }) anonymousOverLimit!: number;
  @Column({ name: 'registered_over_limit', type: 'integer', default: 0 }) registeredOverLimit!: number;
  @Column({ name: 'longest_term_months', type: 'integer', nullable: true }) longestTermMonths!: number | null;
  @Column({ name: 'deepest_discount_pct', type: 'integer', nullable: true }) deepestDiscountPct!:
    number | null;
  @Column({ name: 'redemptions_fen', type: 'bigint', transformer: fen }) redemptionsFen!: number;
  @Column({ name: 'refunds_fen', type: 'bigint', default: 0, transformer: fen }) refundsFen!: number;
  @Column({ name: 'escrow_balance_fen', type: 'bigint', nullable: true, transformer: fen })
  escrowBalanceFen!: number | null;
  @Column({ name: 'insurance_cover_fen', type: 'bigint', nullable: true, transformer: fen })
  insuranceCoverFen!: number | null;
  @Column({ name: 'revenue_last_year_fen', type: 'bigint', nullable: true, transformer: fen })
  revenueLastYearFen!: number | null;
  @Column({ name: 'superseded_by', type: 'bigint', nullable: true, transformer: fen }) supersededBy!:
    number | null;
  @Column({ name: 'correction_reason', type: 'text', nullable: true }) correctionReason!: string | null;
  @Column({ name: 'source_system', type: 'text', default: 'api' }) sourceSystem!: string;
  @Column({ name: 'source_key', type: 'text', nullable: true }) sourceKey!: string | null;
  @Column({ name: 'created_by', type: 'bigint', nullable: true, transformer: fen }) createdBy!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** 预警信号 */
@Entity('prepaid_signal')
export class PrepaidSignal {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: number;
  @Column({ name: 'enterprise_id', type: 'bigint', transformer: id }) enterpriseId!: number;
  @Column({ type: 'text' }) kind!: SignalKind;
  @Column({ name: 'occurred_on', type: 'date' }) occurredOn!: string;
  @Column({ name: 'received_on', type: 'date' }) receivedOn!: string;
  @Column({ name: 'amount_fen', type: 'bigint', nullable: true, transformer: fen }) amountFen!: number | null;
  @Column({ name: 'effective_on', type: 'date', nullable: true }) effectiveOn!: string | null;
  @Column({ name: 'discount_pct', type: 'integer', nullable: true }) discountPct!: number | null;
  @Column({ name: 'term_months', type: 'integer', nullable: true }) termMonths!: number | null;
  @Column({ name: 'store_id', type: 'bigint', nullable: true, transformer: fen }) storeId!: number | null;
  @Column({ type: 'text' }) summary!: string;
  @Column({ name: 'source_ref', type: 'text', nullable: true }) sourceRef!: string | null;
  @Column({ name: 'source_system', type: 'text', default: 'api' }) sourceSystem!: string;
  @Column({ name: 'source_key', type: 'text', nullable: true }) sourceKey!: string | null;
  @Column({ name: 'created_by', type: 'bigint', nullable: true, transformer: fen }) createdBy!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export const PREPAID_ENTITIES = [
  PrepaidIssuer,
  PrepaidStore,
  PrepaidPayeeAccount,
  PrepaidReport,
  PrepaidSignal,
];
