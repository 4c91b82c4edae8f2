import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString } from 'class-validator';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { RISK_LEVELS } from '../../rules/risk-facts.js';
import { RISK_RULE_KEYS } from '../../rules/risk-rules.js';

/** Query of GET /api/prepaid/issuers/:uscc/risk. */
export class RiskQuery {
  @ApiPropertyOptional({
    example: '2026-06-30',
    description: 'the day (YYYY-MM-DD, not after today; default today)',
  })
  @IsOptional()
  @IsLegalDate()
  asOf?: string;
}

/** Query of GET /api/prepaid/issuers/:uscc/risk-trend. */
export class TrendQuery {
  @ApiPropertyOptional({
    description: 'first day (default: the first day of the month 24 months before `to`)',
  })
  @IsOptional()
  @IsLegalDate()
  from?: string;

  @ApiPropertyOptional({ description: 'last day (default today, not after today)' })
  @IsOptional()
  @IsLegalDate()
  to?: string;
}

/** Body of POST /api/prepaid/evaluations. */
export class EvaluateDto {
  @ApiPropertyOptional({ description: 'the day evaluated (default today; not after today)' })
  @IsOptional()
  @IsLegalDate()
  asOf?: string;
}

/** Body of POST /api/prepaid/models: a new model version (checked by riskModelProblems). */
export class CreateRiskModelDto {
  @ApiProperty({ example: 'prepaid-risk-v2' }) @IsString() @IsLimitedText(40) version!: string;
  @ApiProperty({ example: '预付式消费风险预警模型 v2' }) @IsString() @IsLimitedText(200) description!: string;
  @ApiProperty({
    example: { blue: 10, yellow: 30, orange: 55, red: 80 },
    description: 'points at which each level begins, rising',
  })
  @IsObject()
  levelCuts!: Record<string, number>;
  @ApiProperty({ type: Object, description: 'per rule key: { weight, thresholds... }' })
  @IsObject()
  rules!: Record<string, Record<string, number | string | boolean>>;
}

/** Body of POST /api/prepaid/models/:version/activate. */
export class ActivateRiskModelDto {
  @ApiProperty({ example: '2027-01-01', description: 'the first day it is in force (today or later)' })
  @IsLegalDate()
  effectiveFrom!: string;
}

/** Path parameter `:version`. */
export class ModelVersionParam {
  @ApiProperty({ example: 'prepaid-risk-v1' }) @IsString() @IsLimitedText(40) version!: string;
}

export class RuleSourceView {
  @ApiProperty() document!: string;
  @ApiPropertyOptional() article?: string;
}

/** One rule's outcome (risk-rules.ts RuleOutcome). */
export class RuleOutcomeView {
  @ApiProperty({ enum: RISK_RULE_KEYS }) rule!: string;
  @ApiProperty() fired!: boolean;
  @ApiProperty() points!: number;
  @ApiProperty({ enum: RISK_LEVELS, nullable: true }) floor!: string | null;
  @ApiProperty({
    oneOf: [
      { type: 'number', nullable: true },
      { type: 'string', nullable: true },
    ],
  })
  value!: number | string | null;
  @ApiProperty({
    oneOf: [
      { type: 'number', nullable: true },
      { type: 'string', nullable: true },
    ],
  })
  threshold!: number | string | null;
  @ApiProperty() unit!: string;
  @ApiProperty({ description: 'one sentence in Chinese naming the value and the threshold' }) reason!: string;
  @ApiProperty({ type: RuleSourceView }) source!: RuleSourceView;
}

/** An issuer's assessment as of a day (risk-rules.ts RiskAssessment). */
export class RiskAssessmentView {
  @ApiProperty() enterpriseId!: number;
  @ApiProperty() asOf!: string;
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ enum: RISK_LEVELS }) level!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ type: [RuleOutcomeView], description: 'fired first, most points first' })
  outcomes!: RuleOutcomeView[];
}

export class TrendPointView {
  @ApiProperty() asOf!: string;
  @ApiProperty({ enum: RISK_LEVELS }) level!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ enum: RISK_RULE_KEYS, isArray: true }) fired!: string[];
}

export class TrendView {
  @ApiProperty({ type: [TrendPointView], description: 'month ends, then the last day' })
  points!: TrendPointView[];
}

export class StreetRiskView {
  @ApiProperty({ description: '街道; 未注明街道 when unknown' }) street!: string;
  @ApiProperty() issuers!: number;
  @ApiProperty({ description: 'not evaluated yet (no level)' }) unevaluated!: number;
  @ApiProperty({ description: 'evaluated, no rule enough (无风险)' }) none!: number;
  @ApiProperty() blue!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() orange!: number;
  @ApiProperty() red!: number;
  @ApiProperty({ description: 'alerts in progress (not closed)' }) openAlerts!: number;
  @ApiProperty() overdueAlerts!: number;
}

export class RiskMapView {
  @ApiProperty({ description: 'the latest evaluated day' }) asOf!: string;
  @ApiProperty({ type: [StreetRiskView] }) streets!: StreetRiskView[];
}

export class LevelCountsView {
  @ApiProperty() none!: number;
  @ApiProperty() blue!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() orange!: number;
  @ApiProperty() red!: number;
}

export class EvaluationRunApiView {
  @ApiProperty() id!: number;
  @ApiProperty() asOf!: string;
  @ApiProperty() modelVersion!: string;
  @ApiProperty() evaluated!: number;
  @ApiProperty({ type: LevelCountsView }) levels!: LevelCountsView;
  @ApiProperty() alertsOpened!: number;
  @ApiProperty() alertsRaised!: number;
  @ApiProperty({ enum: ['schedule', 'cli', 'api'], description: 'the trigger that began the run' })
  trigger!: string;
  @ApiProperty({
    enum: ['schedule', 'cli', 'api'],
    nullable: true,
    description:
      'the trigger of the call that completed it after it was left unfinished (null: never resumed)',
  })
  resumedTrigger!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiPropertyOptional({ description: 'the day was evaluated already: this is that run' }) repeated?: boolean;
  @ApiPropertyOptional({ description: 'this call completed a run left unfinished' }) resumed?: boolean;
}

export class ModelActivationView {
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty() activatedAt!: string;
}

export class RiskModelVersionApiView {
  @ApiProperty() version!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: Object }) config!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [ModelActivationView] }) activations!: ModelActivationView[];
  @ApiProperty({ description: 'in force today' }) inForce!: boolean;
}

export class RiskModelsView {
  @ApiProperty({ description: 'the version in force today' }) inForce!: string;
  @ApiProperty({ type: [RiskModelVersionApiView] }) versions!: RiskModelVersionApiView[];
}
