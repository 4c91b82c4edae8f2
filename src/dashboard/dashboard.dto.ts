import { ApiProperty } from '@nestjs/swagger';
import { ScoringRunView } from '../credit/scoring-runs.controller.js';

/** A tier of the active scorecard with its label. */
export class DashboardTierView {
  @ApiProperty({ example: 'A' }) tier!: string;
  @ApiProperty({ example: { zh: '低风险', en: 'low risk' } }) label!: { zh: string; en: string };
}

/** The last full run of one month. */
export class TrendPointView {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty() runId!: number;
  @ApiProperty({ example: '2026-11-30' }) asOf!: string;
  @ApiProperty({ example: { A: 650, B: 130, C: 100, D: 120 } }) tierCounts!: Record<string, number>;
}

/** How many enterprises went from one tier to another. */
export class TransitionView {
  @ApiProperty({ type: String, nullable: true, description: 'null: the first classification' })
  fromTier!: string | null;
  @ApiProperty() toTier!: string;
  @ApiProperty() count!: number;
}

/** The tier changes of this month. */
export class ChangesThisMonthView {
  @ApiProperty({ example: '2026-12', description: 'this month in Asia/Shanghai' }) month!: string;
  @ApiProperty({ description: 'every change this month (first classifications included)' }) total!: number;
  @ApiProperty({ type: [TransitionView] }) transitions!: TransitionView[];
}

/** A reason behind a move to the worst tier. */
export class TopReasonView {
  @ApiProperty({ example: '一年内一般行政处罚' }) zh!: string;
  @ApiProperty({ example: -12, description: 'points (negative deducts; 0 for a hard rule)' }) points!: number;
}

/** One enterprise moved to the worst tier. */
export class MovedToWorstItemView {
  @ApiProperty() uscc!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) street!: string | null;
  @ApiProperty({ example: 'C' }) fromTier!: string;
  @ApiProperty({ example: 'D' }) toTier!: string;
  @ApiProperty() toScore!: number;
  @ApiProperty({ description: 'instant, ISO 8601' }) changedAt!: string;
  @ApiProperty({
    type: [TopReasonView],
    description: 'at most 3: the hard rule that decided the tier first, then the largest deductions',
  })
  topReasons!: TopReasonView[];
}

/** The moves to the worst tier this month. */
export class MovedToWorstView {
  @ApiProperty({ example: 'D', description: 'the last tier of the active scorecard' }) tier!: string;
  @ApiProperty({ description: 'moves from another tier this month' }) total!: number;
  @ApiProperty({ type: [MovedToWorstItemView], description: 'the 10 newest' })
  items!: MovedToWorstItemView[];
}

/** GET /api/dashboard. */
export class DashboardView {
  @ApiProperty({ type: [DashboardTierView], description: 'tiers of the active scorecard, best first' })
  tiers!: DashboardTierView[];
  @ApiProperty({ type: ScoringRunView, nullable: true, description: 'the last finished full run' })
  latestRun!: ScoringRunView | null;
  @ApiProperty({
    type: [TrendPointView],
    description: 'the last full run of each of the last 12 months (by as-of date) that has one, oldest first',
  })
  trend!: TrendPointView[];
  @ApiProperty({ type: ChangesThisMonthView }) changesThisMonth!: ChangesThisMonthView;
  @ApiProperty({ type: [ScoringRunView], description: 'the 5 newest full runs' })
  recentRuns!: ScoringRunView[];
  @ApiProperty({ type: MovedToWorstView }) movedToWorst!: MovedToWorstView;
}
