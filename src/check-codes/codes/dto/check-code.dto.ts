import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { IdParam } from '../../../http/id-param.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { CHECK_CODE_STATES, type CheckCodeState } from '../../rules/check-code-rules.js';

/** Longest reason of a revocation, characters. */
export const REVOKE_REASON_MAX = 500;

/** Path parameter `:id` of a check code (the one id rule, http/id-param.ts). */
export class CheckCodeIdParam {
  @IdParam('the code (check_code id)')
  id!: number;
}

/** Query of GET /api/check-codes. */
export class CheckCodeListQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({
    enum: CHECK_CODE_STATES,
    description: 'issued 待检查, in_use 检查中, completed 已完成, expired 已过期, revoked 已吊销',
  })
  @IsOptional()
  @IsIn(CHECK_CODE_STATES)
  status?: CheckCodeState;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'issued on or after this day (Asia/Shanghai)' })
  @IsOptional()
  @IsLegalDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'issued on or before this day (Asia/Shanghai)' })
  @IsOptional()
  @IsLegalDate()
  to?: string;

  @ApiPropertyOptional({ example: '91310110MA1G8N5YX5', description: 'the enterprise (USCC)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[0-9A-Z]{18}$/, { message: 'uscc must be 18 digits or capital letters' })
  uscc?: string;
}

/** Body of POST /api/check-codes/:id/revoke. */
export class RevokeCheckCodeDto {
  @ApiProperty({
    example: '检查人员变更，重新申请',
    description: `why, at most ${REVOKE_REASON_MAX} characters`,
  })
  @IsString()
  @IsLimitedText(REVOKE_REASON_MAX)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

class NameCredential {
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true, description: '执法证号' }) credentialNo!: string | null;
}

class EnterpriseOfCode {
  @ApiProperty() name!: string;
  @ApiProperty() uscc!: string;
}

class ParticularsPlan {
  @ApiProperty({ description: '计划编号' }) planNo!: string;
  @ApiProperty() version!: number;
  @ApiProperty() title!: string;
  @ApiProperty() batchSeq!: number;
  @ApiProperty() batchName!: string;
  @ApiProperty({ description: 'the department of the task drawn in it' }) department!: string;
}

class ParticularsTrigger {
  @ApiProperty({ description: 'the trigger (claims triggerIds)' }) id!: number;
  @ApiProperty({ enum: ['complaint', 'report', 'referral', 'data_alert', 'legal_requirement'] })
  kind!: string;
  @ApiProperty({ example: '投诉' }) kindLabel!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) sourceRef!: string | null;
  @ApiProperty() receivedOn!: string;
}

class ParticularsItem {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) departmentName!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ enum: ['on_site', 'documents', 'data'] }) checkMethod!: string;
  @ApiProperty({ example: '现场检查' }) checkMethodLabel!: string;
  @ApiProperty({ type: [String], description: 'what will be checked (compliance requirements)' })
  requirements!: string[];
}

class ParticularsDepartment {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() lead!: boolean;
}

class ParticularsLead {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

class ParticularsInspector {
  @ApiProperty() name!: string;
  @ApiProperty({ description: '执法证号' }) credentialNo!: string;
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ type: String, nullable: true }) departmentName!: string | null;
}

class ParticularsWindow {
  @ApiProperty({ description: 'the visit window, first day' }) start!: string;
  @ApiProperty({ description: 'the visit window, last day' }) end!: string;
}

/**
 * What a code froze at issue for the verify page (check_code.particulars): no phone numbers, no
 * user or task ids.
 */
export class CodeParticulars {
  @ApiProperty({ example: 1 }) format!: 1;
  @ApiProperty() codeNo!: string;
  @ApiProperty({ enum: ['routine', 'event', 'joint'], description: 'joint: more than one task (联合检查)' })
  kind!: 'routine' | 'event' | 'joint';
  @ApiProperty({ enum: ['routine', 'event'], isArray: true }) kinds!: ('routine' | 'event')[];
  @ApiProperty({ type: EnterpriseOfCode }) enterprise!: EnterpriseOfCode;
  @ApiProperty({ type: ParticularsWindow }) window!: ParticularsWindow;
  @ApiProperty({ type: [ParticularsPlan], description: 'planned checks: plan number, version, batch' })
  plans!: ParticularsPlan[];
  @ApiProperty({ type: [ParticularsTrigger], description: 'event-triggered checks: each accepted trigger' })
  triggers!: ParticularsTrigger[];
  @ApiProperty({ type: [ParticularsItem] }) items!: ParticularsItem[];
  @ApiProperty({ type: [ParticularsDepartment], description: 'the lead department first' })
  departments!: ParticularsDepartment[];
  @ApiProperty({ type: ParticularsLead }) lead!: ParticularsLead;
  @ApiProperty({ type: [ParticularsInspector] }) inspectors!: ParticularsInspector[];
}

/** A code in a list. Times ISO 8601. */
export class CheckCodeSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'K7Q3M2XD' }) codeNo!: string;
  @ApiProperty({ example: 'JC-K7Q3-M2XD' }) codeNoDisplay!: string;
  @ApiProperty({ enum: CHECK_CODE_STATES }) status!: CheckCodeState;
  @ApiProperty({ example: '待检查' }) statusLabel!: string;
  @ApiProperty({ enum: ['routine', 'event', 'joint'] }) kind!: 'routine' | 'event' | 'joint';
  @ApiProperty({ type: EnterpriseOfCode }) enterprise!: EnterpriseOfCode;
  @ApiProperty({ type: [String] }) departments!: string[];
  @ApiProperty({ type: [String] }) planNos!: string[];
  @ApiProperty({ type: [NameCredential] }) inspectors!: NameCredential[];
  @ApiProperty() issuedAt!: string;
  @ApiProperty() notBefore!: string;
  @ApiProperty() notAfter!: string;
  @ApiProperty({ type: String, nullable: true }) checkedInAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) checkedOutAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokeReason!: string | null;
}

export class CheckCodeEventView {
  @ApiProperty({ enum: ['check_in', 'check_out'] }) kind!: 'check_in' | 'check_out';
  @ApiProperty() at!: string;
  @ApiProperty({ type: NameCredential }) inspector!: NameCredential;
}

class ValidNow {
  @ApiProperty() valid!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "judgeCode's reason when not valid (expired, revoked...)",
  })
  reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
}

class IssuedBy {
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) credentialNo!: string | null;
}

class RevokedBy {
  @ApiProperty() name!: string;
}

/** One code with everything its inspectors and regulators see. */
export class CheckCodeView extends CheckCodeSummaryView {
  @ApiProperty({ description: 'the signed text form (JC1....)' }) codeText!: string;
  @ApiProperty({ description: 'what the QR code carries: <PUBLIC_BASE_URL>/v/<code text>, upper-cased' })
  verifyUrl!: string;
  @ApiProperty({ example: '/api/check-codes/1/qr.png' }) qrPng!: string;
  @ApiProperty({ example: '/api/check-codes/1/qr.svg' }) qrSvg!: string;
  @ApiProperty({ description: 'key id of the signing key' }) kid!: string;
  @ApiProperty() visitId!: number;
  @ApiProperty({ type: [Number] }) taskIds!: number[];
  @ApiProperty({ type: IssuedBy }) issuedBy!: IssuedBy;
  @ApiProperty({ type: RevokedBy, nullable: true }) revokedBy!: RevokedBy | null;
  @ApiProperty({ type: CodeParticulars }) particulars!: CodeParticulars;
  @ApiProperty({ type: [CheckCodeEventView] }) events!: CheckCodeEventView[];
  @ApiProperty({ type: ValidNow, description: 'judgeCode online, now' }) validNow!: ValidNow;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '山水花',
    description:
      'the check word (核验词) of the current 10-minute window; null unless the code is live and valid',
  })
  checkWord!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'seconds until the check word changes' })
  checkWordSecondsLeft!: number | null;
}

export class CheckCodePageView extends PageOf(CheckCodeSummaryView) {}

/** Answer of GET /api/tasks/:id/check-code. */
export class TaskCheckCodeView {
  @ApiProperty({
    type: CheckCodeView,
    nullable: true,
    description: "the visit's issued or in-use code (null: none)",
  })
  live!: CheckCodeView | null;
  @ApiProperty({
    type: CheckCodeView,
    nullable: true,
    description: 'the newest code covering this task, any state',
  })
  latest!: CheckCodeView | null;
}
