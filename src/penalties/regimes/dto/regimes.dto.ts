import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsOptional, IsString, Matches } from 'class-validator';
import { PENALTY_PROCEDURES, PENALTY_TYPES } from '../../../credit/rules/record-kinds.js';
import { DECISION_KINDS, PARTY_TYPES, PENALTY_DOMAINS } from '../../rules/publication-regimes.js';

/** A further source of the same rule: one document and its own article. */
export class AlsoSourceView {
  @ApiProperty({ example: '失信行为纠正后的信用信息修复管理办法（试行）（国家发展和改革委员会令第58号）' })
  document!: string;
  @ApiProperty({ example: '第十一条' }) article!: string;
}

/** A rule's source: ONE document and its own article; a second document of the same rule in `also`. */
export class RuleSourceView {
  @ApiProperty({ example: '市场监督管理行政处罚信息公示规定（国家市场监督管理总局令第45号）' })
  document!: string;
  @ApiProperty({
    example: '第十四条第二款',
    description:
      'the article, or （条款以正式文本为准） when the numbering is still to be checked (docs/credit-repair.md)',
  })
  article!: string;
  @ApiPropertyOptional({
    type: [AlsoSourceView],
    description: 'further documents of the same rule, each with its article',
  })
  also?: AlsoSourceView[];
}

/** A period's length: exactly one of years, months, days. */
export class PeriodLengthView {
  @ApiPropertyOptional() years?: number;
  @ApiPropertyOptional() months?: number;
  @ApiPropertyOptional() days?: number;
}

/** One class of penalty information under a regime. */
export class RegimeClassView {
  @ApiProperty({ type: PeriodLengthView, description: 'publication period (公示期)' })
  publication!: PeriodLengthView;
  @ApiProperty({
    type: PeriodLengthView,
    nullable: true,
    description: 'repair after this much publication; null: never',
  })
  repairAfter!: PeriodLengthView | null;
  @ApiProperty({
    type: PeriodLengthView,
    nullable: true,
    description: 'in the sensitive domains; null: as repairAfter',
  })
  repairAfterSensitive!: PeriodLengthView | null;
  @ApiProperty({ example: '其他行政处罚' }) label!: string;
  @ApiProperty({ type: RuleSourceView }) source!: RuleSourceView;
  @ApiProperty({ type: RuleSourceView, nullable: true }) repairSource!: RuleSourceView | null;
}

/** A regime's rules (publication_regime.params). */
export class RegimeParamsView {
  @ApiProperty({ example: 20, description: 'working days after the decision' })
  publishWithinWorkingDays!: number;
  @ApiProperty({ type: RegimeClassView, description: 'a reprimand or lower-amount fine alone' })
  minor!: RegimeClassView;
  @ApiProperty({ type: RegimeClassView }) standard!: RegimeClassView;
  @ApiProperty({ type: RegimeClassView, description: 'types never ended early' }) serious!: RegimeClassView;
  @ApiProperty({ type: RegimeClassView, description: 'a serious-list listing' })
  seriousListing!: RegimeClassView;
  @ApiProperty({ enum: PENALTY_DOMAINS, isArray: true }) sensitiveDomains!: string[];
  @ApiProperty({ type: RuleSourceView }) notPublishedSource!: RuleSourceView;
  @ApiProperty({ type: RuleSourceView }) publishWithinSource!: RuleSourceView;
  @ApiProperty({ type: RuleSourceView }) neverEarlySource!: RuleSourceView;
  @ApiProperty({ type: RuleSourceView, nullable: true }) sensitiveSource!: RuleSourceView | null;
}

/** A publication regime as stored (GET /api/publication-regimes). */
export class PublicationRegimeView {
  @ApiProperty({ example: 'SH-2023' }) code!: string;
  @ApiProperty({ example: '上海市优化营商环境条例与发改委第58号令' }) name!: string;
  @ApiProperty({ example: '2023-05-01', description: 'first decision date, YYYY-MM-DD' })
  inForceFrom!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'last decision date as the default (inclusive); null: open',
  })
  inForceUntil!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'selectable as an alternative until (inclusive)',
  })
  alternativeUntil!: string | null;
  @ApiProperty({ type: RegimeParamsView }) params!: RegimeParamsView;
}

/** The regimes and the configured lower-amount thresholds. */
export class PublicationRegimesView {
  @ApiProperty({ type: [PublicationRegimeView], description: 'oldest first' })
  regimes!: PublicationRegimeView[];
  @ApiProperty({ example: 10000000, description: '较低数额罚款: below this many fen for an organisation' })
  lowerFineOrganisationFen!: number;
  @ApiProperty({ example: 1000000, description: 'the same for a natural person, fen' })
  lowerFineNaturalPersonFen!: number;
}

/** Body of POST /api/publication-periods/preview: the facts of a decision. */
export class PeriodsPreviewDto {
  @ApiPropertyOptional({ enum: DECISION_KINDS, default: 'penalty' })
  @IsOptional()
  @IsString()
  kind?: string;

  @ApiProperty({ example: '2026-04-07', description: 'decision date, YYYY-MM-DD (not after today)' })
  @IsString()
  decisionDate!: string;

  @ApiPropertyOptional({
    example: '2026-04-10',
    description: 'day of publication; default the decision date',
  })
  @IsOptional()
  @IsString()
  publishedOn?: string;

  @ApiPropertyOptional({ enum: PENALTY_PROCEDURES, description: 'required for a penalty' })
  @IsOptional()
  @IsString()
  procedure?: string;

  @ApiPropertyOptional({ enum: PENALTY_TYPES, isArray: true, description: 'at least one for a penalty' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  penaltyTypes?: string[];

  @ApiPropertyOptional({
    example: 5000000,
    minimum: 0,
    maximum: 1_000_000_000_000,
    description:
      'fine in fen (分), a whole number 0 .. 10^12 (100亿元); required with a fine, refused without',
  })
  @IsOptional()
  @IsInt()
  fineFen?: number;

  @ApiPropertyOptional({ enum: PENALTY_DOMAINS, default: 'general' })
  @IsOptional()
  @IsString()
  domain?: string;

  @ApiPropertyOptional({ enum: PARTY_TYPES, default: 'organisation' })
  @IsOptional()
  @IsString()
  partyType?: string;

  @ApiPropertyOptional({
    example: 'SAMR-2021',
    description: 'a regime other than the default, if in force then',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z0-9-]{2,32}$/)
  regimeCode?: string;
}

/** One date or answer and the rule behind it. */
export class PeriodRuleView {
  @ApiProperty({
    enum: ['regime', 'published', 'publishBy', 'publicationLastDay', 'earliestRepairOn', 'neverEndedEarly'],
  })
  field!: string;
  @ApiProperty({ description: 'in Chinese' }) text!: string;
  @ApiProperty({ description: 'one document' }) document!: string;
  @ApiProperty({
    description: 'its article (empty for the regime line; （条款以正式文本为准） when to be checked)',
  })
  article!: string;
  @ApiPropertyOptional({
    type: [AlsoSourceView],
    description: 'further documents of the same rule, each with its article',
  })
  also?: AlsoSourceView[];
}

/** The periods of one decision (publicationPeriods). Dates YYYY-MM-DD. */
export class PublicationPeriodsView {
  @ApiProperty({ example: 'SH-2023' }) regimeCode!: string;
  @ApiProperty() regimeName!: string;
  @ApiProperty() published!: boolean;
  @ApiProperty({ type: String, nullable: true }) notPublishedReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) classLabel!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: PENALTY_TYPES }) decidingType!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'last day to publish (decision + 20 working days)',
  })
  publishBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) publicationStart!: string | null;
  @ApiProperty({ type: String, nullable: true }) publicationLastDay!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'first day it no longer counts (valid_until)' })
  countsUntil!: string | null;
  @ApiProperty({ type: String, nullable: true }) earliestRepairOn!: string | null;
  @ApiProperty() neverEndedEarly!: boolean;
  @ApiProperty({ description: 'a date lies in a year the holiday calendar does not cover yet' })
  provisional!: boolean;
  @ApiProperty({ type: [PeriodRuleView] }) rules!: PeriodRuleView[];
}
