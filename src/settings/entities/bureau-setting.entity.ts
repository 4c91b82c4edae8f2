import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One bureau-wide setting (table bureau_setting): its key and JSON value; absent keys take their defaults. */
@Entity('bureau_setting')
export class BureauSetting {
  /** e.g. sessionIdleMinutes, enterpriseTierVisible (settings/dto/settings.dto.ts) */
  @PrimaryColumn('text')
  key!: string;

  @Column('jsonb')
  value!: unknown;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** the admin who changed it last */
  @Column('bigint', { name: 'updated_by', nullable: true })
  updatedBy!: number | null;
}
