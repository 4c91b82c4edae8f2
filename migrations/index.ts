import { Foundation1764460800000 } from './1764460800000-foundation.js';
import { UsersAndAudit1764547200000 } from './1764547200000-users-and-audit.js';
import { CreditHistory1764720000000 } from './1764720000000-credit-history.js';
import { RelatedParties1764806400000 } from './1764806400000-related-parties.js';
import { CapitalAndChanges1764892800000 } from './1764892800000-capital-and-changes.js';
import { EstimatedDates1765065600000 } from './1765065600000-estimated-dates.js';

/** Every migration, in order. Listed explicitly so the same list works compiled and under Jest. */
export const MIGRATIONS = [
  Foundation1764460800000,
  UsersAndAudit1764547200000,
  CreditHistory1764720000000,
  RelatedParties1764806400000,
  CapitalAndChanges1764892800000,
  EstimatedDates1765065600000,
];
