import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';

/** Optional, but never null: a setting always has a value (null is refused by the field's check). */
const Given = () => ValidateIf((_o: unknown, v: unknown) => v !== undefined);
import { IDLE_MINUTES } from '../../auth/rules/session-rules.js';
import { NO_FINDING_STREAK } from '../../inspections/rules/frequency-alerts.js';
import {
  CHECK_CODE_MAX_DAYS,
  RATING_DELAY_DAYS,
  RATING_MIN_GROUP,
} from '../../check-codes/rules/check-code-rules.js';
import { EVENT_TASK_WINDOW_DAYS, TRIGGER_MERGE_WINDOW_DAYS } from '../../inspections/rules/trigger-merge.js';

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

  @ApiProperty({
    minimum: TRIGGER_MERGE_WINDOW_DAYS.min,
    maximum: TRIGGER_MERGE_WINDOW_DAYS.max,
    default: TRIGGER_MERGE_WINDOW_DAYS.default,
    description:
      'calendar days: an accepted trigger joins an open event task of the same enterprise and department whose first trigger was received this many days before or after it (事件触发合并窗口; inspections/rules/trigger-merge.ts)',
  })
  triggerMergeWindowDays!: number;

  @ApiProperty({
    minimum: EVENT_TASK_WINDOW_DAYS.min,
    maximum: EVENT_TASK_WINDOW_DAYS.max,
    default: EVENT_TASK_WINDOW_DAYS.default,
    description:
      'calendar days a new event-triggered task has to be done in, from the day it is accepted (that day included), unless the acceptance gives windowDays',
  })
  eventTaskWindowDays!: number;

  @ApiProperty({
    minimum: NO_FINDING_STREAK.min,
    maximum: NO_FINDING_STREAK.max,
    default: NO_FINDING_STREAK.default,
    description:
      'an inspector whose latest checks of one enterprise found nothing this many times in a row is flagged for review (频次预警)',
  })
  inspectorNoFindingStreak!: number;

  @ApiProperty({
    minimum: CHECK_CODE_MAX_DAYS.min,
    maximum: CHECK_CODE_MAX_DAYS.max,
    default: CHECK_CODE_MAX_DAYS.default,
    description:
      'calendar days: an inspection code is valid for its task window, at most this long from issue (检查码有效期上限)',
  })
  checkCodeMaxDays!: number;

  @ApiProperty({
    minimum: RATING_MIN_GROUP.min,
    maximum: RATING_MIN_GROUP.max,
    default: RATING_MIN_GROUP.default,
    description:
      "an inspected department sees aggregates of enterprises' ratings only over at least this many ratings (评价匿名最小组)",
  })
  ratingMinGroup!: number;

  @ApiProperty({
    minimum: RATING_DELAY_DAYS.min,
    maximum: RATING_DELAY_DAYS.max,
    default: RATING_DELAY_DAYS.default,
    description:
      "calendar days after a rating before it enters the inspected department's aggregates (评价延迟公开天数)",
  })
  ratingDelayDays!: number;
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

  @ApiPropertyOptional({ minimum: TRIGGER_MERGE_WINDOW_DAYS.min, maximum: TRIGGER_MERGE_WINDOW_DAYS.max })
  @Given()
  @IsInt()
  @Min(TRIGGER_MERGE_WINDOW_DAYS.min)
  @Max(TRIGGER_MERGE_WINDOW_DAYS.max)
  triggerMergeWindowDays?: number;

  @ApiPropertyOptional({ minimum: EVENT_TASK_WINDOW_DAYS.min, maximum: EVENT_TASK_WINDOW_DAYS.max })
  @Given()
  @IsInt()
  @Min(EVENT_TASK_WINDOW_DAYS.min)
  @Max(EVENT_TASK_WINDOW_DAYS.max)
  eventTaskWindowDays?: number;

  @ApiPropertyOptional({ minimum: NO_FINDING_STREAK.min, maximum: NO_FINDING_STREAK.max })
  @Given()
  @IsInt()
  @Min(NO_FINDING_STREAK.min)
  @Max(NO_FINDING_STREAK.max)
  inspectorNoFindingStreak?: number;

  @ApiPropertyOptional({ minimum: CHECK_CODE_MAX_DAYS.min, maximum: CHECK_CODE_MAX_DAYS.max })
  @Given()
  @IsInt()
  @Min(CHECK_CODE_MAX_DAYS.min)
  @Max(CHECK_CODE_MAX_DAYS.max)
  checkCodeMaxDays?: number;

  @ApiPropertyOptional({ minimum: RATING_MIN_GROUP.min, maximum: RATING_MIN_GROUP.max })
  @Given()
  @IsInt()
  @Min(RATING_MIN_GROUP.min)
  @Max(RATING_MIN_GROUP.max)
  ratingMinGroup?: number;

  @ApiPropertyOptional({ minimum: RATING_DELAY_DAYS.min, maximum: RATING_DELAY_DAYS.max })
  @Given()
  @IsInt()
  @Min(RATING_DELAY_DAYS.min)
  @Max(RATING_DELAY_DAYS.max)
  ratingDelayDays?: number;
}
