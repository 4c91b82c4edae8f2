import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Reason } from '../rules/scorecard.js';

/** The current credit score snapshot (信用评分与风险分类) of one enterprise. */
@Entity('credit_score')
export class CreditScore {
  @PrimaryColumn({ name: 'enterprise_id', type: 'bigint' })
  enterpriseId!: number;

  @Column({ type: 'numeric', precision: 6, scale: 2 })
  score!: number;

  @Column({ type: 'text' })
  tier!: string;

  @Column({ name: 'model_version', type: 'text' })
  modelVersion!: string;

  /** Date the score describes (records dated after it are not counted), YYYY-MM-DD. */
  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  @Column({ name: 'run_id', type: 'bigint' })
  runId!: number;

  @Column({ type: 'jsonb' })
  reasons!: Reason[];
}
