import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MinLength } from 'class-validator';
import { IsLimitedText } from '../../http/text-validators.js';
import { PageOf, PageQuery } from '../../http/paging.js';
import { IdParam } from '../../http/id-param.js';

/** Longest seed and note of a draw (characters). */
export const DRAW_TEXT_LIMITS = { seed: 100, note: 200 } as const;

/**
 * Body of POST /api/draws. The ratios' rules (a tier of the active scorecard, a number from 0 to
 * 1, 0 for the best tier) are the draw's own (inspections/rules/draw.ts `checkRatios`, the same
 * check as the CLI's), answered 422 naming `ratios.<tier>`.
 */
export class CreateDrawDto {
  @ApiProperty({
    example: '2026-杨浦-第1批',
    description: 'the published seed of this draw (1 to 100 characters): same seed and inputs, same list',
  })
  @IsString()
  @MinLength(1)
  @IsLimitedText(DRAW_TEXT_LIMITS.seed)
  seed!: string;

  @ApiProperty({
    example: { A: 0, B: 0.05, C: 0.2, D: 0.6 },
    description:
      'share of each tier to draw, 0..1 (at least ceil(candidates x ratio)); tiers of the active scorecard; the best tier (A) gets no routine draw (无事不扰): 0 or absent',
    type: 'object',
    additionalProperties: { type: 'number', minimum: 0, maximum: 1 },
  })
  @IsObject()
  ratios!: Record<string, number>;

  @ApiPropertyOptional({ example: '2026年第四季度双随机抽查', description: 'at most 200 characters' })
  @IsOptional()
  @IsString()
  @IsLimitedText(DRAW_TEXT_LIMITS.note)
  note?: string;
}

/** Path parameter `:id` of a draw. */
export class DrawIdParam {
  @IdParam()
  id!: number;
}

/** Query of GET /api/draws. */
export class DrawPageQuery extends PageQuery(20, 200) {}

/** Query of GET /api/draws/:id/targets. */
export class DrawTargetsQuery extends PageQuery(100, 1000) {
  @ApiPropertyOptional({ example: 'D', description: "only this tier's targets (a tier of the draw)" })
  @IsOptional()
  @IsString()
  @IsLimitedText(20)
  tier?: string;
}

/** Who ran a draw (null for draws stored before issue 10: the audit entry names them). */
export class DrawActorView {
  @ApiProperty({ example: 'regulator-zhang', description: 'username, or cli:<os user> for the CLI' })
  name!: string;
  @ApiProperty({ example: 'regulator' }) role!: string;
  @ApiProperty({ type: String, nullable: true, example: 'market' }) department!: string | null;
}

/** One tier of a draw: candidates in it, its ratio and how many were drawn. */
export class DrawTierView {
  @ApiProperty({ example: 'D' }) tier!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'candidates of the tier (null for draws stored before issue 10)',
  })
  candidates!: number | null;
  @ApiProperty({ example: 0.6 }) ratio!: number;
  @ApiProperty() selected!: number;
}

/** A draw in a list: its inputs and size. */
export class DrawSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty() seed!: string;
  @ApiProperty({ example: { A: 0, B: 0.05, C: 0.2, D: 0.6 } }) ratios!: Record<string, number>;
  @ApiProperty({ example: 'tiered-fisher-yates-arc4/v1' }) algorithm!: string;
  @ApiProperty({ description: 'enterprises in business with a tier, all tiers' }) candidates!: number;
  @ApiProperty({ description: 'SHA-256 over the sorted lines `USCC,tier` of the candidates' })
  candidatesDigest!: string;
  @ApiProperty({ description: 'targets drawn' }) selected!: number;
  @ApiProperty({ description: 'instant, ISO 8601' }) createdAt!: string;
  @ApiProperty({ type: DrawActorView, nullable: true }) createdBy!: DrawActorView | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

/** One draw with its inputs per tier. */
export class DrawView extends DrawSummaryView {
  @ApiProperty({ type: [DrawTierView], description: 'every tier of the scorecard, best first' })
  perTier!: DrawTierView[];
}

/** One drawn target. */
export class DrawTargetView {
  @ApiProperty({ description: '1-based position in the whole draw' }) position!: number;
  @ApiProperty({ example: 'D' }) tier!: string;
  @ApiProperty({ description: '1-based position within its tier' }) tierPosition!: number;
  @ApiProperty({ example: '91310110MA1G8N5YX5' }) uscc!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) street!: string | null;
}

/** Answer of GET /api/draws. */
export class DrawPageView extends PageOf(DrawSummaryView) {}

/** Answer of GET /api/draws/:id/targets. */
export class DrawTargetPageView extends PageOf(DrawTargetView) {}
