import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IdParam } from '../../../http/id-param.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { GUARANTEE_KINDS, PREPAID_SECTORS, RISK_LEVELS, SIGNAL_KINDS } from '../../rules/risk-facts.js';
import { PERIOD_KINDS } from '../prepaid-input.js';

/*
 * Bodies of the prepaid issuers' endpoints. Every field is checked by the one normalisation
 * (prepaid-input.ts), which the CSV imports use too: errors come back 422 naming each field. Money
 * in fen (分, whole numbers); dates YYYY-MM-DD.
 */

/** Body of POST /api/prepaid/issuers. */
export class CreateIssuerDto {
  @ApiProperty({ example: '91310110MA1G8N5YX5', description: 'an enterprise of the register' })
  @Allow()
  uscc!: string;
  @ApiProperty({ enum: PREPAID_SECTORS, description: '行业 (code or Chinese name: 美容美发, 运动健身...)' })
  @Allow()
  sector!: string;
  @ApiPropertyOptional({ enum: GUARANTEE_KINDS, default: 'none', description: '资金保障方式' })
  @Allow()
  guaranteeKind?: string;
  @ApiPropertyOptional({ description: '存管银行 (required with escrow), at most 100 characters' })
  @Allow()
  escrowBank?: string;
  @ApiPropertyOptional({ description: '接入市预付卡协同监管平台日期, not after today' })
  @Allow()
  platformRegisteredOn?: string;
  @ApiPropertyOptional({ description: '平台编码, at most 40 characters (with platformRegisteredOn)' })
  @Allow()
  platformCode?: string;
  @ApiPropertyOptional({ description: '开始发卡日期, not after today' })
  @Allow()
  sellingSince?: string;
}

/** Body of PATCH /api/prepaid/issuers/:uscc: the fields to change. */
export class UpdateIssuerDto {
  @ApiPropertyOptional({ enum: PREPAID_SECTORS }) @Allow() sector?: string;
  @ApiPropertyOptional({ enum: GUARANTEE_KINDS }) @Allow() guaranteeKind?: string;
  @ApiPropertyOptional() @Allow() escrowBank?: string | null;
  @ApiPropertyOptional() @Allow() platformRegisteredOn?: string | null;
  @ApiPropertyOptional() @Allow() platformCode?: string | null;
  @ApiPropertyOptional() @Allow() sellingSince?: string | null;
}

/** Body of POST /api/prepaid/issuers/:uscc/stores. */
export class CreateStoreDto {
  @ApiProperty({ description: '门店名称, at most 200 characters' }) @Allow() name!: string;
  @ApiProperty({ description: '门店地址, at most 300 characters' }) @Allow() address!: string;
  @ApiPropertyOptional({ example: '五角场街道', description: '街道 (the risk map groups by it)' })
  @Allow()
  street?: string;
  @ApiPropertyOptional({ description: '开业日期, not after today' }) @Allow() openedOn?: string;
  @ApiPropertyOptional({ description: '租约到期日 (may be in the future)' }) @Allow() leaseEndsOn?: string;
  @ApiPropertyOptional({ description: '关店日期, not after today' }) @Allow() closedOn?: string;
}

/** Body of POST /api/prepaid/issuers/:uscc/stores/:id/close. */
export class CloseStoreDto {
  @ApiPropertyOptional({ description: '关店日期 (default today), not after today' })
  @Allow()
  closedOn?: string;
}

/** Body of POST /api/prepaid/issuers/:uscc/payee-accounts. */
export class CreatePayeeAccountDto {
  @ApiProperty({ description: '开户银行' }) @Allow() bank!: string;
  @ApiProperty({ description: 'the account number or its last four digits (only the last four are kept)' })
  @Allow()
  accountNo!: string;
  @ApiPropertyOptional({ default: false, description: 'the escrow (存管) account itself' })
  @Allow()
  escrow?: boolean;
  @ApiPropertyOptional({ description: "启用日期 (default today), after the current account's" })
  @Allow()
  fromOn?: string;
}

export class CorrectionDto {
  @ApiProperty({ description: '更正原因, at most 500 characters' }) @Allow() reason!: string;
}

/** Body of POST /api/prepaid/issuers/:uscc/reports. */
export class CreateReportDto {
  @ApiProperty({ enum: PERIOD_KINDS, description: '季度 (quarter) or 月度 (month)' })
  @Allow()
  periodKind!: string;
  @ApiProperty({ example: '2026-07-01', description: 'first day of a calendar quarter or month' })
  @Allow()
  periodStart!: string;
  @ApiPropertyOptional({ description: 'last day of the period (derived when omitted), not after today' })
  @Allow()
  periodEnd?: string;
  @ApiPropertyOptional({ description: '报送日期 (default today), not before periodEnd, not after today' })
  @Allow()
  submittedOn?: string;
  @ApiProperty({ description: '预收资金余额 at period end, fen, >= 0' }) @Allow() balanceFen!: number;
  @ApiProperty({ description: '售卡张数' }) @Allow() cardsSoldCount!: number;
  @ApiProperty({ description: '售卡金额, fen' }) @Allow() cardsSoldFen!: number;
  @ApiPropertyOptional({ description: '单张最大面值, fen' }) @Allow() maxCardFen?: number;
  @ApiPropertyOptional({ description: '超限不记名卡张数 (over 1,000 yuan)' })
  @Allow()
  anonymousOverLimit?: number;
  @ApiPropertyOptional({ description: '超限记名卡张数 (over 5,000 yuan)' })
  @Allow()
  registeredOverLimit?: number;
  @ApiPropertyOptional({ description: '最长期限, months' }) @Allow() longestTermMonths?: number;
  @ApiPropertyOptional({ description: '最大折扣, percent off face value 0-100' })
  @Allow()
  deepestDiscountPct?: number;
  @ApiProperty({ description: '兑付（消费）金额 during the period, fen' }) @Allow() redemptionsFen!: number;
  @ApiPropertyOptional({ description: '退款金额, fen (default 0)' }) @Allow() refundsFen?: number;
  @ApiPropertyOptional({ description: '存管资金余额, fen; not more than balanceFen' })
  @Allow()
  escrowBalanceFen?: number;
  @ApiPropertyOptional({ description: '保险（保函）保额, fen' }) @Allow() insuranceCoverFen?: number;
  @ApiPropertyOptional({ description: '上一年度主营业务收入, fen' }) @Allow() revenueLastYearFen?: number;
  @ApiPropertyOptional({
    type: CorrectionDto,
    description: 'a correction of the report in force for the period',
  })
  @Allow()
  correction?: CorrectionDto;
}

/** Body of POST /api/prepaid/issuers/:uscc/signals. */
export class CreateSignalDto {
  @ApiProperty({ enum: SIGNAL_KINDS }) @Allow() kind!: string;
  @ApiProperty({ description: '发生日期, not after today' }) @Allow() occurredOn!: string;
  @ApiPropertyOptional({ description: '收到日期 (default today), not before occurredOn' })
  @Allow()
  receivedOn?: string;
  @ApiPropertyOptional({ description: '涉及金额, fen' }) @Allow() amountFen?: number;
  @ApiPropertyOptional({ description: 'closure / moving notices: the announced day (required)' })
  @Allow()
  effectiveOn?: string;
  @ApiPropertyOptional({ description: 'promotions: percent off face value (required)' })
  @Allow()
  discountPct?: number;
  @ApiPropertyOptional({ description: 'promotions: card term in months (required)' })
  @Allow()
  termMonths?: number;
  @ApiPropertyOptional({ description: 'a store of the issuer' }) @Allow() storeId?: number;
  @ApiProperty({ description: '摘要, at most 1,000 characters' }) @Allow() summary!: string;
  @ApiPropertyOptional({ description: '来源 (complaint number, notice...)' }) @Allow() sourceRef?: string;
}

/** Query of GET /api/prepaid/issuers. */
export class IssuerListQueryDto extends PageQuery(50, 200) {
  @ApiPropertyOptional({ description: 'part of the name, or the start of the USCC' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ enum: PREPAID_SECTORS }) @IsOptional() @IsIn(PREPAID_SECTORS) sector?: string;
  @ApiPropertyOptional({ description: '街道' }) @IsOptional() @IsString() @MaxLength(40) street?: string;
  @ApiPropertyOptional({ enum: RISK_LEVELS, description: 'none also matches never evaluated' })
  @IsOptional()
  @IsIn(RISK_LEVELS)
  level?: string;
}

/** Query of the reports' and signals' lists. */
export class IssuerPageQueryDto extends PageQuery(50, 200) {}

export class UsccParam {
  @ApiProperty({ description: '统一社会信用代码' }) @IsString() @MaxLength(40) uscc!: string;
}
export class StoreParam extends UsccParam {
  @IdParam('the store') id!: number;
}
export class ImportKindParam {
  @ApiProperty({ enum: ['issuers', 'stores', 'reports', 'signals'] })
  @IsIn(['issuers', 'stores', 'reports', 'signals'])
  kind!: 'issuers' | 'stores' | 'reports' | 'signals';
}

export class StoreViewDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ nullable: true, type: String }) street!: string | null;
  @ApiProperty({ nullable: true, type: String }) openedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) leaseEndsOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedOn!: string | null;
}
export class PayeeAccountViewDto {
  @ApiProperty() id!: number;
  @ApiProperty() bank!: string;
  @ApiProperty({ description: 'last four digits' }) accountTail!: string;
  @ApiProperty() escrow!: boolean;
  @ApiProperty() fromOn!: string;
  @ApiProperty({ nullable: true, type: String }) untilOn!: string | null;
}
export class IssuerListItemDto {
  @ApiProperty() uscc!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PREPAID_SECTORS }) sector!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "first open store's street, else the register's",
  })
  street!: string | null;
  @ApiProperty({ description: 'open stores' }) stores!: number;
  @ApiProperty({ enum: GUARANTEE_KINDS }) guaranteeKind!: string;
  @ApiProperty() platformRegistered!: boolean;
  @ApiProperty({ enum: RISK_LEVELS, nullable: true }) level!: string | null;
  @ApiProperty({ nullable: true, type: String }) levelSince!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastReportPeriodEnd!: string | null;
  @ApiProperty({ nullable: true, type: Number }) openAlertId!: number | null;
}
export class IssuerPageDto extends PageOf(IssuerListItemDto) {}
export class IssuerDetailDto {
  @ApiProperty() uscc!: string;
  @ApiProperty() enterpriseId!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PREPAID_SECTORS }) sector!: string;
  @ApiProperty({ enum: GUARANTEE_KINDS }) guaranteeKind!: string;
  @ApiProperty({ nullable: true, type: String }) escrowBank!: string | null;
  @ApiProperty({ nullable: true, type: String }) platformRegisteredOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) platformCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) sellingSince!: string | null;
  @ApiProperty({ nullable: true, type: String }) establishedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ nullable: true, type: String }) street!: string | null;
  @ApiProperty({ nullable: true, type: String }) tier!: string | null;
  @ApiProperty({ enum: RISK_LEVELS, nullable: true }) level!: string | null;
  @ApiProperty({ nullable: true, type: String }) levelSince!: string | null;
  @ApiProperty({ nullable: true, type: String }) evaluatedOn!: string | null;
  @ApiProperty({ type: [StoreViewDto] }) stores!: StoreViewDto[];
  @ApiProperty({ type: [PayeeAccountViewDto] }) payeeAccounts!: PayeeAccountViewDto[];
  @ApiProperty({ nullable: true, type: Number }) openAlertId!: number | null;
}
export class ReportViewDto {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: PERIOD_KINDS }) periodKind!: string;
  @ApiProperty() periodStart!: string;
  @ApiProperty() periodEnd!: string;
  @ApiProperty() submittedOn!: string;
  @ApiProperty({ description: 'the 25th of the month after the period' }) dueOn!: string;
  @ApiProperty({ description: 'submitted after dueOn' }) late!: boolean;
  @ApiProperty() balanceFen!: number;
  @ApiProperty() cardsSoldCount!: number;
  @ApiProperty() cardsSoldFen!: number;
  @ApiProperty({ nullable: true, type: Number }) maxCardFen!: number | null;
  @ApiProperty() anonymousOverLimit!: number;
  @ApiProperty() registeredOverLimit!: number;
  @ApiProperty({ nullable: true, type: Number }) longestTermMonths!: number | null;
  @ApiProperty({ nullable: true, type: Number }) deepestDiscountPct!: number | null;
  @ApiProperty() redemptionsFen!: number;
  @ApiProperty() refundsFen!: number;
  @ApiProperty({ nullable: true, type: Number }) escrowBalanceFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) insuranceCoverFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) revenueLastYearFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'the correction that replaced it' })
  supersededBy!: number | null;
  @ApiProperty() superseded!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'a correction: why' }) correctionReason!:
    string | null;
  @ApiProperty() sourceSystem!: string;
  @ApiProperty({ nullable: true, type: String }) sourceKey!: string | null;
  @ApiProperty() createdAt!: string;
}
export class ReportPageDto extends PageOf(ReportViewDto) {}
export class SignalViewDto {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: SIGNAL_KINDS }) kind!: string;
  @ApiProperty() occurredOn!: string;
  @ApiProperty() receivedOn!: string;
  @ApiProperty({ nullable: true, type: Number }) amountFen!: number | null;
  @ApiProperty({ nullable: true, type: String }) effectiveOn!: string | null;
  @ApiProperty({ nullable: true, type: Number }) discountPct!: number | null;
  @ApiProperty({ nullable: true, type: Number }) termMonths!: number | null;
  @ApiProperty({ nullable: true, type: Number }) storeId!: number | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ nullable: true, type: String }) sourceRef!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceKey!: string | null;
  @ApiProperty() sourceSystem!: string;
  @ApiProperty() createdAt!: string;
}
export class SignalPageDto extends PageOf(SignalViewDto) {}
export class PrepaidImportViewDto {
  @ApiProperty({ enum: ['issuers', 'stores', 'reports', 'signals'] }) kind!: string;
  @ApiProperty() encoding!: string;
  @ApiProperty() rows!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty({ description: 'reports that corrected the one in force' }) corrected!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: [Object] }) rejections!: { line: number; field: string; reason: string }[];
  @ApiProperty({ type: [Number], description: 'ids stored (issuers: enterprise ids), file order' })
  ids!: number[];
}
