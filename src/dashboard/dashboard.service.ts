import { Injectable } from '@nestjs/common';
import { todayInShanghai } from '../common/clock.js';
import { CreditHistoryService } from '../credit/credit-history.service.js';
import { ScorecardVersionsService } from '../credit/scorecard-versions.service.js';
import type { DashboardView } from './dashboard.dto.js';
import { dashboardWindow, topReasons } from './rules/dashboard.js';

/**
 * The regulator home (驾驶舱): tier distribution and its trend, this month's tier changes, the last
 * runs and the moves to the worst tier. Read from what the credit module stores (each run's tier
 * counts, the tier changes through their index): no query counts the register or the scores, so
 * the answer takes the same time at a million enterprises as at a thousand (docs/performance.md).
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly scorecards: ScorecardVersionsService,
    private readonly history: CreditHistoryService,
  ) {}

  /**
   * The dashboard as of `today` (YYYY-MM-DD, default today in Asia/Shanghai): "this month" is its
   * calendar month, the trend the 12 months ending with it; the worst tier is the last tier of
   * the active scorecard. An empty database answers empty lists, a null latest run and zeros.
   */
  async dashboard(today: string = todayInShanghai()): Promise<DashboardView> {
    const card = await this.scorecards.activeScorecard();
    const w = dashboardWindow(today);
    const worst = card.tiers[card.tiers.length - 1]!.tier;
    const [recentRuns, trend, transitions, moves] = await Promise.all([
      this.history.runs('all', 1, 5),
      this.history.monthlyFullRuns(w.trendFrom, today),
      this.history.tierTransitions(w.from, w.until),
      this.history.recentMovesTo(worst, w.from, w.until, 10),
    ]);
    return {
      tiers: card.tiers.map((t) => ({ tier: t.tier, label: t.label })),
      latestRun: recentRuns[0] ?? null,
      trend,
      changesThisMonth: {
        month: w.month,
        total: transitions.reduce((a, t) => a + t.count, 0),
        transitions,
      },
      recentRuns,
      movedToWorst: {
        tier: worst,
        total: transitions
          .filter((t) => t.toTier === worst && t.fromTier !== null)
          .reduce((a, t) => a + t.count, 0),
        items: moves.map((c) => ({
          uscc: c.uscc,
          name: c.name,
          street: c.street,
          fromTier: c.fromTier!,
          toTier: c.toTier,
          toScore: c.toScore,
          changedAt: c.changedAt,
          topReasons: topReasons(c.reasons),
        })),
      },
    };
  }
}
