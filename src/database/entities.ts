import { AppUser } from '../auth/entities/app-user.entity.js';
import { CreditRecord } from '../credit/entities/credit-record.entity.js';
import { CreditScore } from '../credit/entities/credit-score.entity.js';
import { ScorecardVersion } from '../credit/entities/scorecard-version.entity.js';
import { Enterprise } from '../enterprises/entities/enterprise.entity.js';

/** Every TypeORM entity, listed explicitly (works compiled and under Jest alike). */
export const ENTITIES = [Enterprise, CreditRecord, ScorecardVersion, CreditScore, AppUser];
