import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PENALTY_PROCEDURES, PENALTY_TYPES } from '../../../credit/rules/record-kinds.js';
import { PageQuery } from '../../../http/paging.js';
import { IdParam } from '../../../http/id-param.js';
import { DECISION_OUTCOMES, DELIVERY_CHANNELS } from '../../rules/penalty-decision-input.js';
import { DECISION_KINDS, PARTY_TYPES, PENALTY_DOMAINS } from '../../rules/publication-regimes.js';

/** The delivery of the documents with the decision (送达). */
export class DeliveryInputDto {
  @ApiProperty({
    enum: DELIVERY_CHANNELS,
    description: '送达方式 (or its Chinese name: 直接送达, 邮寄送达...)',
  })
  channel!: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD, default today; not before the decision, not after today' })
  deliveredOn?: string;
  @ApiPropertyOptional({ description: '受送达人, at most 100 characters' })
  recipient?: string;
  @ApiPropertyOptional({
    default: true,
    description:
      'both documents in this delivery (双书同达); false: the decision alone (exceptionReason required)',
  })
  withNotice?: boolean;
  @ApiPropertyOptional({ description: 'why the notice is not served with the decision' })
  exceptionReason?: string;
}

/**
 * Body of POST /api/penalty-decisions (and /preview). Every field is checked by the one
 * normalisation, penalties/rules/penalty-decision-input.ts checkPenaltyDecision (the CSV import
 * uses it too): errors come back 422 naming each field.
 */
export class CreatePenaltyDecisionDto {
  @ApiProperty({ example: '沪市监杨处〔2026〕101号', description: '决定书文号, 4-80 characters, unique' })
  @Allow()
  decisionNo!: string;
  @ApiPropertyOptional({ enum: DECISION_KINDS, default: 'penalty' })
  @Allow()
  kind?: string;
  @ApiProperty({ example: '91310110MA1G8N5YX5', description: 'the enterprise (in the register)' })
  @Allow()
  enterpriseUscc!: string;
  @ApiProperty({ enum: PARTY_TYPES, description: 'for the lower-amount fine threshold' })
  @Allow()
  partyType!: string;
  @ApiProperty({
    example: '2026-11-20',
    description: 'not after today, not before the enterprise was established',
  })
  @Allow()
  decisionDate!: string;
  @ApiProperty({ enum: PENALTY_PROCEDURES })
  @Allow()
  procedure!: string;
  @ApiPropertyOptional({
    enum: PENALTY_TYPES,
    isArray: true,
    description: 'codes or Chinese names; none for 不予处罚/首违不罚',
  })
  @Allow()
  penaltyTypes?: string[];
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1_000_000_000_000,
    description:
      "fine in fen (分): a plain decimal whole number 0 .. 10^12 (100亿元); required with 'fine', refused without it and for a serious listing",
  })
  @Allow()
  fineFen?: number;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1_000_000_000_000,
    description:
      "confiscated amount in fen (分), as fineFen; only with 'confiscation', refused for a serious listing",
  })
  @Allow()
  confiscatedFen?: number;
  @ApiProperty({
    enum: PENALTY_DOMAINS,
    description: 'food, drugs, special equipment, work safety, fire wait longer for repair',
  })
  @Allow()
  domain!: string;
  @ApiPropertyOptional({ enum: DECISION_OUTCOMES, default: 'penalty' })
  @Allow()
  outcome?: string;
  @ApiPropertyOptional({
    description: 'the lenient-list matter (GET /api/lenient-enforcement), required unless outcome penalty',
  })
  @Allow()
  lenientMatterCode?: string;
  @ApiPropertyOptional({ description: 'the education given, required for no_penalty / first_offence' })
  @Allow()
  educationGiven?: string;
  @ApiProperty({ description: '违法事实' })
  @Allow()
  violation!: string;
  @ApiProperty({ description: '处罚依据' })
  @Allow()
  legalBasis!: string;
  @ApiPropertyOptional({
    example: 'SAMR-2021',
    description: 'an alternative regime in force on the decision date',
  })
  @Allow()
  regimeCode?: string;
  @ApiPropertyOptional({
    description: 'admins: the recording department code (default market); a regulator records for its own',
  })
  @IsOptional()
  @IsString()
  department?: string;
  @ApiProperty({ type: DeliveryInputDto })
  @Allow()
  delivery!: DeliveryInputDto;
}

/** Body of POST /api/penalty-decisions/:id/deliveries. */
export class LaterDeliveryDto {
  @ApiProperty({ enum: ['decision', 'repair_notice'], isArray: true })
  @Allow()
  documents!: string[];
  @ApiProperty({ enum: DELIVERY_CHANNELS })
  @Allow()
  channel!: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD, default today' })
  @Allow()
  deliveredOn?: string;
  @ApiPropertyOptional()
  @Allow()
  recipient?: string;
  @ApiPropertyOptional({ description: 'required when the notice is served later than the decision' })
  @Allow()
  exceptionReason?: string;
}

export class DecisionIdParam {
  @IdParam('penalty decision id')
  id!: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** Query of GET /api/penalty-decisions. */
export class DecisionListQueryDto extends PageQuery(50, 200) {
  @ApiPropertyOptional({ description: 'decision date from, YYYY-MM-DD' })
  @IsOptional()
  @Matches(ISO, { message: 'from must be YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ description: 'decision date to, YYYY-MM-DD' })
  @IsOptional()
  @Matches(ISO, { message: 'to must be YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  uscc?: string;
  @ApiPropertyOptional({ enum: DECISION_KINDS })
  @IsOptional()
  @IsIn(DECISION_KINDS)
  kind?: string;
  @ApiPropertyOptional({ enum: DECISION_OUTCOMES })
  @IsOptional()
  @IsIn(DECISION_OUTCOMES)
  outcome?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'])
  noticeRequired?: string;
  @ApiPropertyOptional({ description: 'decision number contains' })
  @IsOptional()
  @IsString()
  decisionNo?: string;
}

/** Query of GET /api/penalty-decisions/report. */
export class ReportQueryDto {
  @ApiProperty({ description: 'YYYY-MM-DD' })
  @Matches(ISO, { message: 'from must be YYYY-MM-DD' })
  from!: string;
  @ApiProperty({ description: 'YYYY-MM-DD' })
  @Matches(ISO, { message: 'to must be YYYY-MM-DD' })
  to!: string;
}

/** Query of GET /api/lenient-enforcement. */
export class LenientQueryDto {
  @ApiPropertyOptional({ description: 'the lists in force on this day, YYYY-MM-DD (default today)' })
  @IsOptional()
  @Matches(ISO, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}
