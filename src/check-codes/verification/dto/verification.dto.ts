import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsLimitedText } from '../../../http/text-validators.js';
import { MAX_CODE_TEXT } from '../../rules/check-code-format.js';
import { CHECK_CODE_STATES } from '../../rules/check-code-rules.js';
import type {
  DepartmentView,
  InspectorView,
  ItemView,
  TaskView,
  VerificationView,
} from '../verification-view.js';

/** Path parameter `:code`: a code's text form or its verification URL (URL-encoded). */
export class CheckCodeTextParam {
  @ApiProperty({
    description: `the code's text form (JC1.…, any case) or its verification URL \`<base>/v/<text>\`, URL-encoded; at most ${MAX_CODE_TEXT} characters (more: 422)`,
    example: 'JC1.2KDBAJ3…',
    maxLength: MAX_CODE_TEXT,
  })
  @IsLimitedText(MAX_CODE_TEXT)
  code!: string;
}

/** Query of the form page GET /v?code=…: the pasted text (a code or its URL). */
export class CodeFormQuery {
  @ApiPropertyOptional({
    description: `the pasted code text or verification URL, at most ${MAX_CODE_TEXT} characters; absent or empty: the form`,
    maxLength: MAX_CODE_TEXT,
  })
  @IsOptional()
  @IsLimitedText(MAX_CODE_TEXT)
  code?: string;
}

const REASONS = [
  'valid',
  'empty',
  'too_long',
  'wrong_prefix',
  'not_base32',
  'not_cose_sign1',
  'bad_header',
  'bad_claims',
  'unsupported_version',
  'unknown_key',
  'key_revoked',
  'unsupported_algorithm',
  'bad_signature',
  'issued_outside_key_validity',
  'key_expired',
  'not_yet_valid',
  'expired',
  'revoked',
  'not_issued',
];

export class DepartmentViewDto implements DepartmentView {
  @ApiProperty({ example: 'market' }) code!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) name!: string;
}

export class ItemViewDto implements ItemView {
  @ApiProperty({ example: 'SC-M01' }) code!: string;
  @ApiProperty({ example: '食品经营许可情况检查' }) name!: string;
  @ApiProperty({ type: DepartmentViewDto }) department!: DepartmentViewDto;
  @ApiProperty({ description: '检查依据' }) legalBasis!: string;
  @ApiProperty({ enum: ['on_site', 'documents', 'data'] }) checkMethod!: string;
  @ApiProperty({ example: '现场检查' }) checkMethodText!: string;
  @ApiProperty({ type: [String], description: '检查内容: what will be checked, one line each' })
  requirements!: string[];
}

export class InspectorViewDto implements InspectorView {
  @ApiProperty({ example: '张三' }) name!: string;
  @ApiProperty({ description: '执法证号', example: '31011020001' }) credentialNo!: string;
  @ApiProperty({ type: DepartmentViewDto, nullable: true }) department!: DepartmentViewDto | null;
}

class PlanRefDto {
  @ApiProperty({ example: '2026-market-001' }) planNo!: string;
  @ApiProperty({ type: 'integer', nullable: true }) version!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '第一批' }) batch!: string | null;
}

class TriggerRefDto {
  @ApiProperty({ enum: ['complaint', 'report', 'referral', 'data_alert', 'legal_requirement'] })
  kind!: string;
  @ApiProperty({ example: '投诉' }) kindText!: string;
  @ApiProperty({ description: 'the reason stated when the trigger was accepted' }) reason!: string;
}

export class TaskViewDto implements TaskView {
  @ApiProperty({ enum: ['routine', 'event', 'joint'] }) kind!: 'routine' | 'event' | 'joint';
  @ApiProperty({ example: '计划检查' }) kindText!: string;
  @ApiProperty({ type: [PlanRefDto] }) plans!: PlanRefDto[];
  @ApiProperty({ type: [TriggerRefDto], description: 'reasons only: no trigger ids' })
  triggers!: TriggerRefDto[];
}

class EnterpriseRefDto {
  @ApiProperty() name!: string;
  @ApiProperty({ description: '统一社会信用代码' }) uscc!: string;
}

class PhoneDto {
  @ApiProperty({ example: '全国市场监管投诉举报热线' }) name!: string;
  @ApiProperty({ example: '12315' }) number!: string;
}

/**
 * The public answer about an inspection code. Not valid: only verdict, reason, reasonText,
 * whatToDo and phones (and, for a genuine code that expired, was revoked or is not yet valid, its
 * code number, window and state); the particulars are null or empty.
 */
export class CheckCodeVerificationView implements VerificationView {
  @ApiProperty({ enum: ['valid', 'not_valid'] }) verdict!: 'valid' | 'not_valid';
  @ApiProperty({ enum: REASONS, description: '`valid`, or why not (rules/verdict.ts)' })
  reason!: VerificationView['reason'];
  @ApiProperty({ example: '伪造或被篡改：签名与内容不符' }) reasonText!: string;
  @ApiProperty({ description: 'what to do, in Chinese: whom to call, how to report' }) whatToDo!: string;
  @ApiProperty({ enum: CHECK_CODE_STATES, nullable: true }) state!: VerificationView['state'];
  @ApiProperty({ type: String, nullable: true, example: '检查中' }) stateText!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'K7Q9M2XD' }) codeNo!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'JC-K7Q9-M2XD' }) codeNoText!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validFrom!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validUntil!: string | null;
  @ApiProperty({ type: TaskViewDto, nullable: true }) task!: TaskViewDto | null;
  @ApiProperty({ type: EnterpriseRefDto, nullable: true, description: "the code's own enterprise only" })
  enterprise!: EnterpriseRefDto | null;
  @ApiProperty({ type: [ItemViewDto] }) items!: ItemViewDto[];
  @ApiProperty({ type: [DepartmentViewDto] }) departments!: DepartmentViewDto[];
  @ApiProperty({ type: DepartmentViewDto, nullable: true, description: '牵头部门' })
  lead!: DepartmentViewDto | null;
  @ApiProperty({ type: [InspectorViewDto] }) inspectors!: InspectorViewDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) checkedInAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '山水花',
    description: '核验词: the inspector reads it out from their own page; it changes every 10 minutes',
  })
  checkWord!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'seconds until the check word changes' })
  checkWordChangesInSeconds!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '/m/codes/K7Q9M2XD/rate',
    description: 'after completion: the phone page where the enterprise rates the visit',
  })
  ratingPath!: string | null;
  @ApiProperty({ type: [PhoneDto] }) phones!: PhoneDto[];
}
