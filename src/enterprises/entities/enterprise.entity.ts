import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ENTITY_TYPES = [
  'company',
  'sole_trader',
  'cooperative',
  'branch',
  'partnership',
  'other',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
/** 企业类型 labels. */
export const ENTITY_TYPE_LABELS: Record<EntityType, string> = {
  company: '公司',
  sole_trader: '个体工商户',
  cooperative: '农民专业合作社',
  branch: '分支机构',
  partnership: '合伙企业',
  other: '其他',
};

export const ENTERPRISE_STATUSES = ['active', 'suspended', 'moved_out', 'deregistered', 'revoked'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];
/** 登记状态 labels; importers accept either form. */
export const STATUS_LABELS: Record<EnterpriseStatus, string> = {
  active: '存续',
  suspended: '停业',
  moved_out: '迁出',
  deregistered: '注销',
  revoked: '吊销',
};

/** A market entity (市场主体) in the register (市场主体名录). */
@Entity('enterprise')
export class Enterprise {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: number;

  /** 统一社会信用代码, validated and upper case (GB 32100-2015). */
  @Column({ type: 'char', length: 18, unique: true })
  uscc!: string;

  /** True when the code was derived from a source key, not issued by a registration body. */
  @Column({ name: 'uscc_derived', default: false })
  usccDerived!: boolean;

  /** 注册号: legacy 15-digit registration number (GS15-2006, ISO 7064 MOD 11,10), when known. */
  @Column({ name: 'registration_no', type: 'char', length: 15, nullable: true })
  registrationNo!: string | null;

  /** Review flag: the USCC fails only its check character(s), kept by `--accept-bad-check-char`. */
  @Column({ name: 'uscc_check_char_failed', default: false })
  usccCheckCharFailed!: boolean;

  /** Review flag: `divisionCode` disagrees with the USCC's division (positions 3-8). */
  @Column({ name: 'division_mismatch', default: false })
  divisionMismatch!: boolean;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'entity_type', type: 'text', default: 'company' })
  entityType!: EntityType;

  /** GB/T 4754 industry code: a section letter, optionally with 2-4 digits (e.g. R8930 fitness). */
  @Column({ name: 'industry_code', type: 'text', nullable: true })
  industryCode!: string | null;

  /** GB/T 2260 administrative division, e.g. 310110 (Yangpu). */
  @Column({ name: 'division_code', type: 'char', length: 6, nullable: true })
  divisionCode!: string | null;

  /** 街道 */
  @Column({ type: 'text', nullable: true })
  street!: string | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  /** 成立日期, YYYY-MM-DD */
  @Column({ name: 'established_on', type: 'date', nullable: true })
  establishedOn!: string | null;

  /** the establishment date is only estimated (the source gave the month): the month's first day */
  @Column({ name: 'established_on_estimated', default: false })
  establishedOnEstimated!: boolean;

  @Column({ type: 'text', default: 'active' })
  status!: EnterpriseStatus;

  /** 单用途预付卡发卡企业 */
  @Column({ name: 'prepaid_issuer', default: false })
  prepaidIssuer!: boolean;

  /** opaque key of the legal representative (法定代表人), relating enterprises (migration related-parties) */
  /** 注册资本 in fen (分); null when the register does not give it (sole traders have none). */
  @Column({ name: 'registered_capital_fen', type: 'bigint', nullable: true })
  registeredCapitalFen!: number | null;

  @Column({ name: 'legal_rep_key', type: 'text', nullable: true })
  legalRepKey!: string | null;

  @Column({ name: 'source_system', type: 'text', nullable: true })
  sourceSystem!: string | null;

  @Column({ name: 'source_key', type: 'text', nullable: true })
  sourceKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
