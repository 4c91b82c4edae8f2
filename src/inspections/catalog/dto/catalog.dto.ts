import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { DEPARTMENTS } from '../../../auth/roles.js';
import { IsUscc, toUscc } from '../../../enterprises/dto/enterprise.dto.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import {
  CHECK_METHODS,
  ITEM_CODE,
  ITEM_LIMITS,
  RECUSAL_DECISIONS,
  RECUSAL_LIMITS,
  RECUSAL_SOURCES,
  RECUSAL_STATUSES,
  ROSTER_LIMITS,
  type CheckMethod,
} from '../rules/catalog-input.js';
import { IdParam } from '../../../http/id-param.js';

const DEPARTMENT_CODES = Object.keys(DEPARTMENTS);
const toFlag = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

// ---- items ----

/** An inspection item of the list (随机抽查事项清单). */
export class ItemView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'YP-SC-01' }) code!: string;
  @ApiProperty({ example: '营业执照及登记事项检查' }) name!: string;
  @ApiProperty({
    enum: DEPARTMENT_CODES,
    description: 'the department that checks it (roles.ts DEPARTMENTS)',
  })
  department!: string;
  @ApiProperty({ description: '检查依据: the law and article' }) legalBasis!: string;
  @ApiProperty({ enum: CHECK_METHODS, description: '检查方式: on_site 现场, documents 书面, data 数据核查' })
  checkMethod!: CheckMethod;
  @ApiProperty({
    type: [String],
    description: 'GB/T 4754 industry codes or prefixes it applies to (H, H62, F5229); empty: every industry',
  })
  industries!: string[];
  @ApiProperty({ type: [String], description: '检查要求: the checklist lines, in order' })
  requirements!: string[];
  @ApiProperty({ description: '全覆盖: a sector kept at its statutory frequency, outside the tiered draw' })
  fullCoverage!: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'statutory checks a year of a full-coverage item',
  })
  fullCoveragePerYear!: number | null;
  @ApiProperty() active!: boolean;
}

export class ItemPageView extends PageOf(ItemView) {}

/** Query of GET /api/inspection-items. */
export class ListItemsQuery extends PageQuery(50, 500) {
  @ApiPropertyOptional({ enum: DEPARTMENT_CODES })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional({ type: String, enum: ['true', 'false'], description: 'true: only active items' })
  @IsOptional()
  @Transform(toFlag)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ description: 'part of the code or the name' })
  @IsOptional()
  @IsString()
  @IsLimitedText(100)
  q?: string;
}

/** Path parameter `:code` of an item. */
export class ItemCodeParam {
  @ApiProperty({ example: 'YP-SC-01' })
  @IsString()
  @Matches(ITEM_CODE, { message: 'code must be 1-40 of A-Z a-z 0-9 . _ -' })
  code!: string;
}

/** The fields of an item a change may give (PATCH); each is checked again as a whole item (rules/catalog-input.ts itemProblems). */
export class UpdateItemDto {
  @ApiPropertyOptional({ maxLength: ITEM_LIMITS.name })
  @IsOptional()
  @IsString()
  @IsLimitedText(ITEM_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_CODES })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional({ maxLength: ITEM_LIMITS.legalBasis, example: '《市场主体登记管理条例》第三十五条' })
  @IsOptional()
  @IsString()
  @IsLimitedText(ITEM_LIMITS.legalBasis)
  legalBasis?: string;

  @ApiPropertyOptional({ enum: CHECK_METHODS })
  @IsOptional()
  @IsIn(CHECK_METHODS)
  checkMethod?: CheckMethod;

  @ApiPropertyOptional({ type: [String], maxItems: ITEM_LIMITS.industries, example: ['H62', 'F5229'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ITEM_LIMITS.industries)
  @IsString({ each: true })
  industries?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: ITEM_LIMITS.requirements })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ITEM_LIMITS.requirements)
  @IsString({ each: true })
  requirements?: string[]; // each line's text and limit: itemProblems (requirements[i])

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  fullCoverage?: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: ITEM_LIMITS.perYear })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(ITEM_LIMITS.perYear)
  fullCoveragePerYear?: number | null;

  @ApiPropertyOptional({ description: 'false: deactivated (never deleted: plans and tasks name it)' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Body of POST /api/inspection-items. */
export class CreateItemDto extends UpdateItemDto {
  @ApiProperty({ example: 'YP-SC-11', maxLength: ITEM_LIMITS.code })
  @IsString()
  @Matches(ITEM_CODE, { message: 'code must be 1-40 of A-Z a-z 0-9 . _ - starting with a letter or digit' })
  code!: string;
}

// ---- imports ----

export class ImportRejectionView {
  @ApiProperty({ description: 'line of the file (the header is line 1)' }) line!: number;
  @ApiProperty({ description: 'the column at fault, or (row)' }) field!: string;
  @ApiProperty() reason!: string;
}

/** What an import of the item list or the roster did (all or nothing: a file with a rejected row stores nothing). */
export class CatalogImportView {
  @ApiProperty({ description: 'utf-8 or gb18030, as detected' }) encoding!: string;
  @ApiProperty({ description: 'data rows read' }) rows!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ description: 'rows already stored exactly so' }) unchanged!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: [ImportRejectionView], description: 'every rejected row with its reasons' })
  rejections!: ImportRejectionView[];
}

// ---- the inspector roster ----

export class InspectorItemView {
  @ApiProperty() id!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

/** An inspector of the roster (执法检查人员名录库): the inspector user and what the roster adds. */
export class InspectorView {
  @ApiProperty() userId!: number;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: DEPARTMENT_CODES }) department!: string;
  @ApiProperty({ description: '执法证号' }) credentialNo!: string;
  @ApiProperty({ description: 'the account is active (a deactivated one is never drawn)' }) active!: boolean;
  @ApiProperty({ description: 'on the roster (drawn for tasks); an inspector without a profile yet is not' })
  onRoster!: boolean;
  @ApiProperty({ type: [String], description: 'streets (街道) covered; empty: the whole district' })
  areas!: string[];
  @ApiProperty({ type: [InspectorItemView], description: 'items the inspector is qualified for' })
  items!: InspectorItemView[];
}

export class InspectorPageView extends PageOf(InspectorView) {}

/** Query of GET /api/inspectors. */
export class ListInspectorsQuery extends PageQuery(50, 500) {
  @ApiPropertyOptional({ enum: DEPARTMENT_CODES })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional({ description: 'only inspectors qualified for this item (its code)' })
  @IsOptional()
  @IsString()
  @Matches(ITEM_CODE, { message: 'itemCode must be an item code' })
  itemCode?: string;

  @ApiPropertyOptional({ type: String, enum: ['true', 'false'] })
  @IsOptional()
  @Transform(toFlag)
  @IsBoolean({ message: 'onRoster must be true or false' })
  onRoster?: boolean;

  @ApiPropertyOptional({ type: String, enum: ['true', 'false'], description: 'the account is active' })
  @IsOptional()
  @Transform(toFlag)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ description: 'part of the name, username or credential number' })
  @IsOptional()
  @IsString()
  @IsLimitedText(100)
  q?: string;
}

/** Path parameter `:userId`. */
export class UserIdParam {
  @IdParam()
  userId!: number;
}

/** Body of PATCH /api/inspectors/:userId: what is given replaces what is stored. */
export class UpdateInspectorDto {
  @ApiPropertyOptional({ type: [String], maxItems: ROSTER_LIMITS.areas, example: ['五角场街道', '殷行街道'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ROSTER_LIMITS.areas)
  @IsString({ each: true })
  areas?: string[]; // each street's text and limit: areaProblems (areas[i])

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  onRoster?: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: "codes of the items the inspector is qualified for (the inspector's department's items)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @IsLimitedText(ITEM_LIMITS.code, { each: true })
  itemCodes?: string[];
}

// ---- recusal ----

export class RecusalInspectorView {
  @ApiProperty({ type: Number, nullable: true, description: 'null for an enterprise user' }) userId!:
    number | null;
  @ApiProperty() displayName!: string;
  @ApiProperty({ description: '执法证号' }) credentialNo!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for an enterprise user' })
  department!: string | null;
}

export class RecusalEnterpriseView {
  @ApiProperty() uscc!: string;
  @ApiProperty() name!: string;
}

/** A conflict declaration (回避). */
export class RecusalView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: RecusalInspectorView }) inspector!: RecusalInspectorView;
  @ApiProperty({ type: RecusalEnterpriseView }) enterprise!: RecusalEnterpriseView;
  @ApiProperty({
    enum: RECUSAL_SOURCES,
    description: 'who declared it: 申报 inspector, 申请 enterprise, regulator',
  })
  source!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: RECUSAL_STATUSES }) status!: string;
  @ApiProperty({ description: 'ISO instant' }) requestedAt!: string;
  @ApiProperty({ type: String, nullable: true }) reviewedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) reviewNote!: string | null;
}

export class RecusalPageView extends PageOf(RecusalView) {}

/** Query of GET /api/recusals. */
export class ListRecusalsQuery extends PageQuery(50, 500) {
  @ApiPropertyOptional({ enum: RECUSAL_STATUSES })
  @IsOptional()
  @IsIn(RECUSAL_STATUSES)
  status?: string;

  @ApiPropertyOptional({ type: 'integer', description: "the inspector's user id" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  inspector?: number;

  @ApiPropertyOptional({ description: "the enterprise's USCC" })
  @IsOptional()
  @Transform(toUscc)
  @IsUscc()
  enterprise?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_CODES, description: "the inspector's department (admins)" })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;
}

/**
 * Body of POST /api/recusals: an inspector gives `enterpriseUscc`, `reason`; a regulator
 * `inspectorUserId`, `enterpriseUscc`, `reason`, `source: 'regulator'`; an enterprise user
 * `inspectorCredentialNo`, `reason` (rules/catalog-input.ts RECUSAL_FIELDS; a field of another
 * role is a 422 naming it).
 */
export class CreateRecusalDto {
  @ApiPropertyOptional({ description: 'regulator: the inspector' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  inspectorUserId?: number;

  @ApiPropertyOptional({ description: 'enterprise: the credential number (执法证号) on the inspection code' })
  @IsOptional()
  @IsString()
  @IsLimitedText(32)
  inspectorCredentialNo?: string;

  @ApiPropertyOptional({ description: 'inspector, regulator: the enterprise (统一社会信用代码)' })
  @IsOptional()
  @Transform(toUscc)
  @IsUscc()
  enterpriseUscc?: string;

  @ApiProperty({ maxLength: RECUSAL_LIMITS.reason, example: '配偶在该企业任职' })
  @IsString()
  @IsLimitedText(RECUSAL_LIMITS.reason)
  reason!: string;

  @ApiPropertyOptional({ enum: ['regulator'], description: "regulator: 'regulator'" })
  @IsOptional()
  @IsIn(RECUSAL_SOURCES)
  source?: string;
}

/** Body of POST /api/recusals/:id/review. */
export class ReviewRecusalDto {
  @ApiProperty({ enum: RECUSAL_DECISIONS })
  @IsIn(RECUSAL_DECISIONS)
  decision!: string;

  @ApiPropertyOptional({ maxLength: RECUSAL_LIMITS.note, description: 'required when rejecting' })
  @IsOptional()
  @IsString()
  @IsLimitedText(RECUSAL_LIMITS.note)
  note?: string;
}

/** Path parameter `:id` of a recusal. */
export class RecusalIdParam {
  @IdParam()
  id!: number;
}
