import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Scorecard } from '../rules/scorecard.js';

/** A scorecard version: a new version is a new row, never an edit. */
@Entity('scorecard_version')
export class ScorecardVersion {
  @PrimaryColumn({ type: 'text' })
  version!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'jsonb' })
  config!: Scorecard;

  @Column({ name: 'is_active', default: false })
  isActive!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
