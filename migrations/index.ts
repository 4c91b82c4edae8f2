import { Foundation1764460800000 } from './1764460800000-foundation.js';
import { UsersAndAudit1764547200000 } from './1764547200000-users-and-audit.js';
import { CreditHistory1764720000000 } from './1764720000000-credit-history.js';
import { RelatedParties1764806400000 } from './1764806400000-related-parties.js';
import { CapitalAndChanges1764892800000 } from './1764892800000-capital-and-changes.js';
import { IdentityCodes1764979200000 } from './1764979200000-identity-codes.js';
import { EstimatedDates1765065600000 } from './1765065600000-estimated-dates.js';
import { AuditCheckpoints1765152000000 } from './1765152000000-audit-checkpoints.js';
import { IdempotencyKeys1765152000001 } from './1765152000001-idempotency-keys.js';
import { RateLimitCounter1765324800000 } from './1765324800000-rate-limit-counter.js';
import { TableStatisticsFunction1765411200000 } from './1765411200000-table-statistics-function.js';
import { SessionsAndSettings1765497600000 } from './1765497600000-sessions-and-settings.js';
import { DrawInputsAndDashboardIndexes1765497600001 } from './1765497600001-draw-inputs-and-dashboard-indexes.js';
import { EnterpriseListIndexes1765497600002 } from './1765497600002-enterprise-list-indexes.js';
import { InspectionPlanning1765584000000 } from './1765584000000-inspection-planning.js';
import { DrawSetBasedReferences1765584000300 } from './1765584000300-draw-set-based-references.js';
import { InspectionNotFound1765584000400 } from './1765584000400-inspection-not-found.js';
import { TaskBatchIndexDropped1765584000500 } from './1765584000500-task-batch-index-dropped.js';
import { ReferenceChecksPerDistinctValue1765584000510 } from './1765584000510-reference-checks-per-distinct-value.js';
import { MergeSetBasedReferences1765584000520 } from './1765584000520-merge-set-based-references.js';
import { ReferenceChecksByRange1765584000530 } from './1765584000530-reference-checks-by-range.js';
import { CheckCodes1765670400000 } from './1765670400000-check-codes.js';
import { CheckCodeKeyLifecycle1765670400100 } from './1765670400100-check-code-key-lifecycle.js';
import { CheckCodeKeyShareLock1765670400200 } from './1765670400200-check-code-key-share-lock.js';
import { PenaltyDecisionsAndRepair1765756800000 } from './1765756800000-penalty-decisions-and-repair.js';
import { PrepaidEarlyWarning1765929600000 } from './1765929600000-prepaid-early-warning.js';
import { PrepaidDataConstraints1765929600020 } from './1765929600020-prepaid-data-constraints.js';
import { PrepaidEvaluationProgress1765929600030 } from './1765929600030-prepaid-evaluation-progress.js';
import { PrepaidKnownOn1765929600050 } from './1765929600050-prepaid-known-on.js';
import { PrepaidRunResumedBy1765929600051 } from './1765929600051-prepaid-run-resumed-by.js';
import { DeliveryNotBeforeDecision1765756800600 } from './1765756800600-delivery-not-before-decision.js';

/** Every migration, in order. Listed explicitly so the same list works compiled and under Jest. */
export const MIGRATIONS = [
  Foundation1764460800000,
  UsersAndAudit1764547200000,
  CreditHistory1764720000000,
  RelatedParties1764806400000,
  CapitalAndChanges1764892800000,
  IdentityCodes1764979200000,
  EstimatedDates1765065600000,
  AuditCheckpoints1765152000000,
  IdempotencyKeys1765152000001,
  RateLimitCounter1765324800000,
  TableStatisticsFunction1765411200000,
  SessionsAndSettings1765497600000,
  DrawInputsAndDashboardIndexes1765497600001,
  EnterpriseListIndexes1765497600002,
  InspectionPlanning1765584000000,
  DrawSetBasedReferences1765584000300,
  InspectionNotFound1765584000400,
  TaskBatchIndexDropped1765584000500,
  ReferenceChecksPerDistinctValue1765584000510,
  MergeSetBasedReferences1765584000520,
  ReferenceChecksByRange1765584000530,
  CheckCodes1765670400000,
  CheckCodeKeyLifecycle1765670400100,
  CheckCodeKeyShareLock1765670400200,
  PenaltyDecisionsAndRepair1765756800000,
  DeliveryNotBeforeDecision1765756800600,
  PrepaidEarlyWarning1765929600000,
  PrepaidDataConstraints1765929600020,
  PrepaidEvaluationProgress1765929600030,
  PrepaidKnownOn1765929600050,
  PrepaidRunResumedBy1765929600051,
];
