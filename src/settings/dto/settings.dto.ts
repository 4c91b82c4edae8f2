import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';

/** Optional, but never null: a setting always has a value (null is refused by the field's check). */
const Given = () => ValidateIf((_o: unknown, v: unknown) => v !== undefined);
import { IDLE_MINUTES } from '../../auth/rules/session-rules.js';

/** The bureau's settings (GET /api/settings). */
export class SettingsView {
  @ApiProperty({
    minimum: IDLE_MINUTES.min,
    maximum: IDLE_MINUTES.max,
    default: IDLE_MINUTES.default,
    description: 'minutes without a request after which a browser session ends (空闲超时)',
  })
  sessionIdleMinutes!: number;

  @ApiProperty({
    default: false,
    description:
      'whether enterprise users see their own risk tier and score (domain.md 4: tiers allocate supervision, they are not a published rating)',
  })
  enterpriseTierVisible!: boolean;
}

/** Body of PATCH /api/settings: any of the settings; a field left out keeps its value. */
export class UpdateSettingsDto {
  @ApiPropertyOptional({ minimum: IDLE_MINUTES.min, maximum: IDLE_MINUTES.max })
  @Given()
  @IsInt()
  @Min(IDLE_MINUTES.min)
  @Max(IDLE_MINUTES.max)
  sessionIdleMinutes?: number;

  @ApiPropertyOptional()
  @Given()
  @IsBoolean()
  enterpriseTierVisible?: boolean;
}
