import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { UsccError, normaliseUscc, parseUscc } from '../../common/uscc.js';
import { LEGAL_REP_KEY, REGISTER_TEXT_LIMITS } from '../register-row.js';
import { IsLimitedText } from '../../http/text-validators.js';
import { CAPITAL_BANDS, MAX_CAPITAL_FEN } from '../rules/capital-band.js';
import { isIsoDate } from '../../common/clock.js';
import { readSourceDate } from '../../common/chinese-date.js';
import { PageOf, PageQuery } from '../../http/paging.js';
import {
  ENTERPRISE_STATUSES,
  ENTITY_TYPES,
  type EnterpriseStatus,
  type EntityType,
} from '../entities/enterprise.entity.js';

/**
 * class-transformer step of every USCC in a JSON body: the one identity-code normalisation
 * (`normaliseUscc`: NFKC, whitespace and format characters removed, upper case).
 */
export const toUscc = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? normaliseUscc(value) : value;

/** class-validator rule: a valid USCC (GB 32100-2015); the message names the failed rule. */
export function IsUscc(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUscc',
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string') return false;
          try {
            parseUscc(v);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => {
          if (typeof args?.value !== 'string') return 'required: a USCC of 18 characters (text)';
          try {
            parseUscc(args.value);
            return 'invalid USCC';
          } catch (e) {
            return e instanceof UsccError ? e.message : 'invalid USCC';
          }
        },
      },
    },
    options,
  );
}

/** class-validator rule: a real calendar date YYYY-MM-DD. */
export function IsLegalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLegalDate',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isIsoDate(v),
        defaultMessage: () => 'must be a date YYYY-MM-DD',
      },
    },
    options,
  );
}

/**
 * class-validator rule: a date in any form the one source-date parser reads (common/chinese-date.ts
 * readSourceDate: ISO, YYYYMMDD, 2019年5月20日, Chinese numerals, a date-time with an offset, a
 * month-only date); the message is the parser's, naming the input and what is wrong.
 */
export function IsSourceDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSourceDate',
      validator: {
        validate: (v: unknown) => {
          try {
            return typeof v === 'string' && readSourceDate(v) !== null;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => {
          try {
            if (typeof args?.value === 'string') readSourceDate(args.value);
          } catch (e) {
            return `${args?.property}: ${(e as Error).message}`;
          }
          return `${args?.property} must be a date (text such as 2019-05-20)`;
        },
      },
    },
    options,
  );
}

const upperTrim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

/** Body of POST /api/enterprises. */
export class CreateEnterpriseDto {
  @ApiProperty({
    example: '91310115MA1FL8Q20P',
    description:
      '统一社会信用代码 (GB 32100-2015), normalised first: full-width characters, spaces, zero-width and other invisible characters and lower case are accepted. Positions 1-2 must be a body the register keeps (91, 92, 93 market entities; 52 民办非企业单位) and positions 3-8 a GB/T 2260 division (docs/import-formats.md)',
  })
  @Transform(toUscc)
  @IsUscc()
  uscc!: string;

  @ApiPropertyOptional({
    example: '310110000000015',
    description:
      "注册号: the legacy 15-digit registration number of old licences (last digit an ISO 7064 MOD 11,10 check digit); its first 6 digits (the registering authority's division) must agree with the USCC's positions 3-8",
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  registrationNo?: string;

  @ApiProperty({ example: '上海杨浦示例健身有限公司' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @IsLimitedText(REGISTER_TEXT_LIMITS.name)
  name!: string;

  @ApiPropertyOptional({ enum: ENTITY_TYPES, default: 'company' })
  @IsOptional()
  @IsIn(ENTITY_TYPES)
  entityType?: EntityType;

  @ApiPropertyOptional({
    example: 'R8930',
    description: 'GB/T 4754 industry code: section letter with 2-4 digits',
  })
  @IsOptional()
  @Matches(/^[A-T]([0-9]{2,4})?$/, { message: 'industryCode must be a GB/T 4754 code such as R8930' })
  industryCode?: string;

  @ApiPropertyOptional({ example: '310110', description: 'GB/T 2260 administrative division' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'divisionCode must be 6 digits (GB/T 2260), e.g. 310110' })
  divisionCode?: string;

  @ApiPropertyOptional({ example: '五角场街道', description: '街道' })
  @IsOptional()
  @IsString()
  @IsLimitedText(REGISTER_TEXT_LIMITS.street)
  street?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsLimitedText(REGISTER_TEXT_LIMITS.address)
  address?: string;

  @ApiPropertyOptional({
    example: '2019-05-20',
    description:
      '成立日期: YYYY-MM-DD, or any form of docs/import-formats.md "Dates" (20190520, 2019年5月20日, a date-time with an offset: its Shanghai day); a month (2019-05, 2019年05月) is stored as its first day, marked estimated',
  })
  @IsOptional()
  @IsSourceDate()
  establishedOn?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'the establishment date is only estimated (set by itself for a month-only date)',
  })
  @IsOptional()
  @IsBoolean()
  establishedOnEstimated?: boolean;

  @ApiPropertyOptional({ enum: ENTERPRISE_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(ENTERPRISE_STATUSES)
  status?: EnterpriseStatus;

  @ApiPropertyOptional({ default: false, description: '单用途预付卡发卡企业' })
  @IsOptional()
  @IsBoolean()
  prepaidIssuer?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_CAPITAL_FEN,
    example: 50_000_000,
    description: `注册资本 in fen (分; 1 yuan = 100 fen), a whole number from 0 to ${MAX_CAPITAL_FEN}. Companies, partnerships and cooperatives get a band from it; a value given for a sole trader or branch is stored without one`,
  })
  @IsOptional()
  @ValidateBy({
    name: 'isWholeFen',
    validator: {
      validate: (v: unknown) =>
        Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_CAPITAL_FEN,
      defaultMessage: (args) =>
        `registeredCapitalFen must be a whole number of fen from 0 to ${MAX_CAPITAL_FEN} (a JSON number; 1 yuan = 100 fen), not ${JSON.stringify(args?.value)}`,
    },
  })
  registeredCapitalFen?: number;

  @ApiPropertyOptional({
    description:
      "法定代表人 key: an opaque digest of the legal representative's identity document made by the source (16-128 letters, digits, _ or -); relates enterprises sharing a legal representative. Never the document number or the name.",
  })
  @IsOptional()
  @Matches(LEGAL_REP_KEY, {
    message: 'an opaque key of 16-128 letters, digits, _ or - (a digest, never an ID number)',
  })
  legalRepKey?: string;
}

/** Review flags of an enterprise (EnterpriseView.reviewFlags). */
export const REVIEW_FLAGS = ['uscc_check_char_failed', 'division_mismatch'] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];

/** Query of GET /api/enterprises. */
export class ListEnterprisesQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({ example: 'D', description: 'current risk tier' })
  @IsOptional()
  @Transform(upperTrim)
  @Matches(/^[A-Z]$/, { message: 'tier must be one letter, e.g. D' })
  tier?: string;

  @ApiPropertyOptional({ example: '310110' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'division must be 6 digits' })
  division?: string;

  @ApiPropertyOptional({ example: 'R89', description: 'industry code prefix' })
  @IsOptional()
  @Matches(/^[A-T][0-9]{0,4}$/, { message: 'industry must be a GB/T 4754 code or prefix' })
  industry?: string;

  @ApiPropertyOptional({ enum: REVIEW_FLAGS, description: 'only enterprises flagged so for review' })
  @IsOptional()
  @IsIn(REVIEW_FLAGS)
  reviewFlag?: ReviewFlag;

  @ApiPropertyOptional({ description: 'name fragment (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}

export class EnterpriseView {
  @ApiProperty() uscc!: string;
  @ApiProperty({ nullable: true, type: String, description: '注册号: legacy 15-digit registration number' })
  registrationNo!: string | null;
  @ApiProperty({
    enum: REVIEW_FLAGS,
    isArray: true,
    description:
      'what to review: uscc_check_char_failed (the USCC fails only its check character, kept by import register --accept-bad-check-char); division_mismatch (divisionCode disagrees with the USCC positions 3-8). Empty when nothing',
  })
  reviewFlags!: ReviewFlag[];
  @ApiProperty({ description: 'true when derived from a source key, not issued' }) usccDerived!: boolean;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ENTITY_TYPES }) entityType!: string;
  @ApiProperty({ nullable: true, type: String }) industryCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) divisionCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) street!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'YYYY-MM-DD' }) establishedOn!: string | null;
  @ApiProperty({
    description: 'true when the source gave only the month of establishment: establishedOn is its first day',
  })
  establishedOnEstimated!: boolean;
  @ApiProperty({ enum: ENTERPRISE_STATUSES }) status!: string;
  @ApiProperty({ description: '登记状态' }) statusLabel!: string;
  @ApiProperty() prepaidIssuer!: boolean;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '注册资本 in fen (分), null when not registered',
  })
  registeredCapitalFen!: number | null;
  @ApiProperty({
    nullable: true,
    enum: CAPITAL_BANDS.map((b) => b.band),
    description: `注册资本档次 (basic attribute of the risk classification): ${CAPITAL_BANDS.map((b) => `${b.band} ${b.label}`).join(', ')}; only companies, partnerships and cooperatives, null otherwise or without a registered capital`,
  })
  registeredCapitalBand!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'current risk tier, null until scored; null for an enterprise user unless the bureau shows tiers to enterprises (setting enterpriseTierVisible)',
  })
  tier!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'current credit score; null as tier is',
  })
  score!: number | null;
  @ApiProperty({ nullable: true, type: String }) sourceSystem!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceKey!: string | null;
}

/** Answer of GET /api/enterprises. */
export class EnterprisePage extends PageOf(EnterpriseView) {}
