import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, MinLength } from 'class-validator';
import { IsLegalDate } from '../../enterprises/dto/enterprise.dto.js';
import { IsLimitedText } from '../../http/text-validators.js';
import { RECORD_TEXT_LIMITS } from '../rules/credit-record-input.js';
import {
  CHANGE_ITEMS,
  CREDIT_RECORD_KINDS,
  INSPECTION_OUTCOMES,
  JUDICIAL_CASE_TYPES,
  LIST_TYPES,
  PENALTY_PROCEDURES,
  PENALTY_SEVERITIES,
  PENALTY_TYPES,
  SPOT_CHECK_OUTCOMES,
} from '../rules/record-kinds.js';
import { PageQuery } from '../../http/paging.js';
import { PARTY_TYPES, PENALTY_DOMAINS } from '../../penalties/rules/publication-regimes.js';

/**
 * Body of POST /api/enterprises/:uscc/credit-records. Kind-specific rules (which fields each kind
 * needs) are checked by `checkCreditRecord`, the same check the CSV importer uses.
 */
export class CreateCreditRecordDto {
  @ApiProperty({ enum: CREDIT_RECORD_KINDS })
  @IsIn(CREDIT_RECORD_KINDS)
  kind!: string;

  @ApiPropertyOptional({
    example: '2026-03-15',
    description:
      'date of the fact (listings: defaults to listedOn): YYYY-MM-DD or any form of docs/import-formats.md "Dates" (20230501, 2023年5月1日, 二〇二三年五月一日, a date-time with an offset: its Asia/Shanghai day); a month (2023-05, 2023年05月) is its first day and marks the record dateEstimated. Not after today, not before the enterprise was established',
  })
  @IsOptional()
  @IsString()
  recordDate?: string;

  @ApiProperty({ example: '杨浦区市场监督管理局', description: '来源部门' })
  @IsString()
  @IsLimitedText(RECORD_TEXT_LIMITS.sourceDepartment)
  sourceDepartment!: string;

  @ApiPropertyOptional({
    description:
      "the record's own end date, YYYY-MM-DD (or any form of recordDate): from that day on it no longer counts. Refused for a penalty decided on or after 2021-09-01: its end is computed from its publication period (validUntil = the day after the last day; none when not published)",
  })
  @IsOptional()
  @IsString()
  validUntil?: string;

  @ApiPropertyOptional({ example: '沪市监杨处〔2026〕123号', description: 'penalty: 行政处罚决定书文号' })
  @IsOptional()
  @IsString()
  @IsLimitedText(RECORD_TEXT_LIMITS.decisionNo)
  decisionNo?: string;

  @ApiPropertyOptional({
    enum: PENALTY_PROCEDURES,
    description: 'penalty: 简易程序 summary / 普通程序 general',
  })
  @IsOptional()
  @IsString()
  procedure?: string;

  @ApiPropertyOptional({ enum: PENALTY_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  penaltyTypes?: string[];

  @ApiPropertyOptional({ example: 500000, description: 'penalty: fine in fen (分)' })
  @IsOptional()
  @IsInt()
  fineFen?: number;

  @ApiPropertyOptional({
    enum: PENALTY_DOMAINS,
    description:
      'penalty: field of law (食品 food, 药品 drugs, 特种设备 special_equipment, 安全生产 work_safety, 消防 fire, other: general, the default): repair waits longer in some (docs/credit-repair.md)',
  })
  @IsOptional()
  @IsString()
  domain?: string;

  @ApiPropertyOptional({
    enum: PARTY_TYPES,
    description:
      'penalty: 单位 organisation (default) or 自然人 natural_person, for the lower-amount fine threshold',
  })
  @IsOptional()
  @IsString()
  partyType?: string;

  @ApiPropertyOptional({
    example: '2026-03-20',
    description:
      'penalty: the day it was published (公示), YYYY-MM-DD, not before recordDate; default recordDate. The publication period runs from it',
  })
  @IsOptional()
  @IsString()
  publishedOn?: string;

  @ApiPropertyOptional({
    example: 'SAMR-2021',
    description:
      'penalty: the publication regime (GET /api/publication-regimes) when an alternative in force on recordDate is chosen; default the regime in force. 422 when unknown or not in force then',
  })
  @IsOptional()
  @IsString()
  regimeCode?: string;

  @ApiPropertyOptional({
    enum: LIST_TYPES,
    description: 'listing: anomaly 经营异常名录 / serious 严重违法失信名单',
  })
  @IsOptional()
  @IsString()
  listType?: string;

  @ApiPropertyOptional({ description: 'listing: reason' })
  @IsOptional()
  @IsString()
  @IsLimitedText(RECORD_TEXT_LIMITS.listingReason)
  listingReason?: string;

  @ApiPropertyOptional({ description: 'listing: YYYY-MM-DD' })
  @IsOptional()
  @IsString()
  listedOn?: string;

  @ApiPropertyOptional({ description: 'listing: YYYY-MM-DD' })
  @IsOptional()
  @IsString()
  removedOn?: string;

  @ApiPropertyOptional({ example: '12315', description: 'complaint/referral: channel' })
  @IsOptional()
  @IsString()
  @IsLimitedText(RECORD_TEXT_LIMITS.channel)
  channel?: string;

  @ApiPropertyOptional({ description: 'complaint/referral/commendation: subject' })
  @IsOptional()
  @IsString()
  @IsLimitedText(RECORD_TEXT_LIMITS.subject)
  subject?: string;

  @ApiPropertyOptional({ enum: [...INSPECTION_OUTCOMES, ...SPOT_CHECK_OUTCOMES] })
  @IsOptional()
  @IsString()
  outcome?: string;

  @ApiPropertyOptional({ description: 'unpaid tax / enforcement: amount in fen (分)' })
  @IsOptional()
  @IsInt()
  amountFen?: number;

  @ApiPropertyOptional({ enum: JUDICIAL_CASE_TYPES, description: 'judicial case: type' })
  @IsOptional()
  @IsString()
  caseType?: string;

  @ApiPropertyOptional({
    enum: CHANGE_ITEMS,
    description:
      'registration change (变更登记): the particular changed. Repeated changes of the legal representative, domicile, registered capital or shareholders within a year weigh as frequent changes (scorecard v3)',
  })
  @IsOptional()
  @IsString()
  changeItem?: string;

  @ApiPropertyOptional({
    description:
      'extra source fields; for an inspection_result the violation counts { severe, major, minor } (whole numbers 0-9999) weigh in scorecard v2',
  })
  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      "source system and key: a record sent twice with the same pair is stored once. A regulator's records are stored under its department's namespace: <department>/<sourceSystem or api>",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @IsLimitedText(RECORD_TEXT_LIMITS.sourceSystem)
  sourceSystem?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @IsLimitedText(RECORD_TEXT_LIMITS.sourceKey)
  sourceKey?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'the record date is only estimated (set by itself for a month-only recordDate)',
  })
  @IsOptional()
  @IsBoolean()
  dateEstimated?: boolean;
}

/** One reason behind a score (an indicator or a hard rule) as the API shows it. */
export class ReasonView {
  @ApiProperty({
    example: 'penalty_general_1y',
    description: 'indicator key, or override:<key> for a hard rule',
  })
  code!: string;
  @ApiProperty({ example: '一年内一般行政处罚' }) zh!: string;
  @ApiProperty({ example: 'general penalties in the last year' }) en!: string;
  @ApiProperty({ description: "the indicator's value" }) value!: number;
  @ApiProperty({ description: 'points it adds (negative: deducted)' }) points!: number;
}

/** A tier's cut-off in a scorecard version. */
export class CutOffView {
  @ApiProperty({ example: 'C' }) tier!: string;
  @ApiProperty({ example: 55, description: 'lowest score that still earns the tier (inclusive)' })
  minScore!: number;
  @ApiProperty({ example: { zh: '信用风险较高', en: 'elevated risk' } }) label!: { zh: string; en: string };
}

/** A hard rule (override) that applied to a score. */
export class AppliedHardRuleView {
  @ApiProperty({ example: 'override:judgment_defaulter' }) code!: string;
  @ApiProperty({ example: '失信被执行人, 至少列为C类' }) zh!: string;
  @ApiProperty({ example: 'judgment defaulter: at least tier C' }) en!: string;
  @ApiProperty({ example: 'judgment_defaulter', description: 'the indicator the rule rests on' })
  indicator!: string;
  @ApiProperty({ description: "the indicator's value" }) value!: number;
  @ApiProperty({ example: 'C', description: 'the best tier the rule allows' }) minTier!: string;
  @ApiProperty({ description: 'the published rule it comes from' }) source!: string;
  @ApiProperty({ description: 'true when this rule set the tier (the score alone gives a better one)' })
  decisive!: boolean;
}

/** Which rule decided a tier: the score against the cut-offs, or a hard rule that overrode it. */
export class TierDecisionView {
  @ApiProperty({
    enum: ['score', 'hard_rule'],
    description: 'score: the score against the cut-offs; hard_rule: a hard rule lowered the tier',
  })
  decidedBy!: 'score' | 'hard_rule';
  @ApiProperty({ example: 'C' }) tier!: string;
  @ApiProperty({ example: 80 }) score!: number;
  @ApiProperty({ example: 'B', description: 'the tier the score alone earns' }) scoreTier!: string;
  @ApiProperty({ example: 75, description: "that tier's cut-off, which the score reaches" })
  scoreTierMinScore!: number;
  @ApiProperty({
    nullable: true,
    example: { tier: 'A', minScore: 90 },
    description: 'the next better tier and its cut-off, which the score is below; null for the best tier',
  })
  nextBetter!: { tier: string; minScore: number } | null;
  @ApiProperty({
    type: AppliedHardRuleView,
    nullable: true,
    description: 'the hard rule that set the tier (decidedBy hard_rule), else null',
  })
  hardRule!: AppliedHardRuleView | null;
  @ApiProperty({ type: [AppliedHardRuleView], description: 'every hard rule that applied, decisive or not' })
  hardRules!: AppliedHardRuleView[];
  @ApiProperty({ type: [CutOffView], description: "the version's cut-offs, best tier first" })
  cutOffs!: CutOffView[];
  @ApiProperty({
    example: {
      zh: '评分80达到B类下限75、低于A类下限90，仅按评分为B类；硬性规则「失信被执行人, 至少列为C类」适用（judgment_defaulter = 1），定为C类',
      en: 'score 80 reaches B\'s cut-off 75 and is below A\'s 90, which alone gives tier B; hard rule "judgment defaulter: at least tier C" applies (judgment_defaulter = 1): tier C',
    },
  })
  summary!: { zh: string; en: string };
}

/** Answer of GET /api/enterprises/:uscc/credit. */
export class CreditStatusView {
  @ApiProperty() uscc!: string;
  @ApiProperty({ description: 'points, 2 decimals' }) score!: number;
  @ApiProperty({ example: 'C' }) tier!: string;
  @ApiProperty({ example: { zh: '较高风险', en: 'higher risk' } }) tierLabel!: { zh: string; en: string };
  @ApiProperty({ example: 'v1' }) modelVersion!: string;
  @ApiProperty({ description: 'records dated up to this day count, YYYY-MM-DD' }) asOf!: string;
  @ApiProperty({ description: 'instant, ISO 8601' }) computedAt!: string;
  @ApiProperty({ type: [ReasonView], description: 'most decisive first, at most 5' }) reasons!: ReasonView[];
  @ApiProperty({ type: [ReasonView], description: 'every hard rule and indicator with points' })
  indicators!: ReasonView[];
  @ApiProperty({ type: TierDecisionView, description: 'which rule decided the tier' })
  tierDecision!: TierDecisionView;
}

/** Query of GET /api/enterprises/:uscc/credit-records. */
export class RecordPageQuery extends PageQuery(100, 500) {}

/** Query of GET /api/enterprises/:uscc/credit/explain. */
export class ExplainQuery {
  @ApiPropertyOptional({
    description: 'score as of this day, YYYY-MM-DD, at most today (default today, Asia/Shanghai)',
  })
  @IsOptional()
  @IsLegalDate()
  asOf?: string;
}

/** An enterprise related to the explained one (same legal representative). */
export class RelatedPartyView {
  @ApiProperty({ example: '91310110MA1G8N5YX5' }) uscc!: string;
  @ApiProperty({ example: '上海某某有限公司' }) name!: string;
}

/** Whether a credit record counts in the credit evaluation today (credit/rules/record-counting.ts). */
export class RecordCountingView {
  @ApiProperty({
    enum: ['counting', 'not_weighed', 'not_yet', 'ended'],
    description:
      'counting: feeds the evaluation today; not_weighed: no indicator or hard rule of the scorecard in force reads this kind of record (不计入信用评价, e.g. 监管措施); not_yet: dated after today or counts only from a later day (尚未计入); ended: counted, no longer (不再计入)',
  })
  state!: 'counting' | 'not_weighed' | 'not_yet' | 'ended';
  @ApiProperty({ description: 'true when the record feeds the evaluation today' }) counts!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2027-05-31',
    description:
      'the last day it counts (or counted, once it no longer does), YYYY-MM-DD; null when it counts with no end (a listing not removed, a defaulter record), never counted, or counts only from a later day',
  })
  until!: string | null;
  @ApiProperty({
    example: '计入信用评价至2027年5月31日',
    description:
      'in Chinese: 计入信用评价至…, 在名录期间计入信用评价（尚未移出）, 计入信用评价，无截止日期, 已超过计入期限（计入至…）, 已于…移出名录，不再计入, 已于…到期，不再计入 (its validUntil), 计入信用评价至…（公示期至…）, 公示期至…届满，不再计入, 已于…信用修复，不再计入, 不计入信用评价：此类记录不参与信用风险评分（评分卡v3）, 记录日期…晚于今天，尚未计入信用评价, 自…起计入信用评价',
  })
  reason!: string;
}

/** A record behind a score. */
export class ExplainedRecordView {
  @ApiProperty() id!: number;
  @ApiProperty() kind!: string;
  @ApiProperty() recordDate!: string;
  @ApiProperty() sourceDepartment!: string;
  @ApiProperty({ type: String, nullable: true, description: 'penalty: 行政处罚决定书文号' }) decisionNo!:
    string | null;
  @ApiProperty({ type: String, nullable: true, enum: PENALTY_SEVERITIES }) penaltySeverity!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: LIST_TYPES }) listType!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'extra source fields (violation counts...)' })
  details!: Record<string, unknown> | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'inspection / spot check outcome, judicial case type',
  })
  outcome!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: CHANGE_ITEMS,
    description: 'registration change: the particular changed',
  })
  changeItem!: string | null;
  @ApiProperty() polarity!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "its own end (YYYY-MM-DD, exclusive): the day after a penalty's publication period",
  })
  validUntil!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the day credit repair was granted (信用修复)' })
  repairedOn!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "a published penalty's last day of publication (公示期至)",
  })
  publicationLastDay!: string | null;
  @ApiProperty({ type: String, nullable: true }) listedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) removedOn!: string | null;
  @ApiProperty({ type: [String], description: 'indicators it feeds' }) indicators!: string[];
  @ApiProperty({
    type: () => RecordCountingView,
    description:
      'until when it counts as of asOf and why (the publication period, the scorecard window, repair)',
  })
  counting!: RecordCountingView;
}

/** An indicator of an explained score, with the ids of its records. */
export class ExplainedIndicatorView extends ReasonView {
  @ApiProperty({ type: [Number] }) records!: number[];
}

/** Answer of GET /api/enterprises/:uscc/credit/explain. */
export class ScoreExplanationView {
  @ApiProperty() uscc!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty({ description: 'the scorecard version in force on asOf' }) modelVersion!: string;
  @ApiProperty() score!: number;
  @ApiProperty() tier!: string;
  @ApiProperty() tierLabel!: { zh: string; en: string };
  @ApiProperty({ type: TierDecisionView, description: 'which rule decided the tier' })
  tierDecision!: TierDecisionView;
  @ApiProperty({ type: [ExplainedIndicatorView] }) indicators!: ExplainedIndicatorView[];
  @ApiProperty({
    type: [ExplainedRecordView],
    description: 'the records behind the score first; at most 500',
  })
  records!: ExplainedRecordView[];
  @ApiProperty({ description: 'every record that counted on asOf' }) recordsTotal!: number;
  @ApiProperty({
    type: [RelatedPartyView],
    description: 'other enterprises of the same legal representative on the serious list on asOf',
  })
  relatedParties!: RelatedPartyView[];
}

/** One tier change (GET /api/enterprises/:uscc/credit/history). */
export class TierChangeView {
  @ApiProperty() changedAt!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty() runId!: number;
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null: the first classification' }) fromTier!:
    string | null;
  @ApiProperty({ nullable: true }) fromTierLabel!: { zh: string; en: string } | null;
  @ApiProperty() toTier!: string;
  @ApiProperty() toTierLabel!: { zh: string; en: string };
  @ApiProperty({ type: Number, nullable: true }) fromScore!: number | null;
  @ApiProperty() toScore!: number;
  @ApiProperty({ type: [ReasonView] }) reasons!: ReasonView[];
}

/** A credit record as GET /api/enterprises/:uscc/credit-records lists it. */
export class CreditRecordItemView {
  @ApiProperty() id!: number;
  @ApiProperty() enterpriseId!: number;
  @ApiProperty({ enum: CREDIT_RECORD_KINDS }) kind!: string;
  @ApiProperty({ description: 'YYYY-MM-DD' }) recordDate!: string;
  @ApiProperty({ description: 'the source gave no date: the import used its snapshot date' })
  dateEstimated!: boolean;
  @ApiProperty() sourceDepartment!: string;
  @ApiProperty({ enum: ['negative', 'positive', 'neutral'] }) polarity!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'its own end date, YYYY-MM-DD: from that day on it no longer counts',
  })
  validUntil!: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionNo!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: PENALTY_PROCEDURES }) procedure!: string | null;
  @ApiProperty({ type: [String], nullable: true }) penaltyTypes!: string[] | null;
  @ApiProperty({ type: String, nullable: true, enum: PENALTY_SEVERITIES }) penaltySeverity!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'fen (分)' }) fineFen!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'penalty: 公示起始日, YYYY-MM-DD' })
  publicationStart!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'penalty: 公示期届满日 (Civil Code art. 201-203), YYYY-MM-DD; validUntil is the day after',
  })
  publicationLastDay!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'penalty: 最早可申请信用修复日, YYYY-MM-DD; null when none',
  })
  earliestRepairOn!: string | null;
  @ApiProperty({ description: 'penalty: 不得提前停止公示 (Order 45 第十五条)' }) neverEndedEarly!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'SH-2023',
    description: 'the publication regime applied',
  })
  regimeCode!: string | null;
  @ApiProperty({ description: 'a date lies in a year the holiday calendar does not cover yet (provisional)' })
  periodProvisional!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: '信用修复 granted on, YYYY-MM-DD: no longer counts from then',
  })
  repairedOn!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: LIST_TYPES }) listType!: string | null;
  @ApiProperty({ type: String, nullable: true }) listingReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) listedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) removedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) channel!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true }) outcome!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'fen (分)' }) amountFen!: number | null;
  @ApiProperty({ type: String, nullable: true, enum: CHANGE_ITEMS }) changeItem!: string | null;
  @ApiProperty({ type: Object, nullable: true }) details!: Record<string, unknown> | null;
  @ApiProperty() sourceSystem!: string;
  @ApiProperty() sourceKey!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({
    type: RecordCountingView,
    description:
      "counting state today, by the windows of the scorecard in force today (the scoring's own rule)",
  })
  counting!: RecordCountingView;
}
