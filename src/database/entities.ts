import { AppUser } from '../auth/entities/app-user.entity.js';
import { UserSession } from '../auth/entities/user-session.entity.js';
import { CreditRecord } from '../credit/entities/credit-record.entity.js';
import { CreditScore } from '../credit/entities/credit-score.entity.js';
import { ScorecardVersion } from '../credit/entities/scorecard-version.entity.js';
import { Enterprise } from '../enterprises/entities/enterprise.entity.js';
import { PREPAID_ENTITIES } from '../prepaid/issuers/entities/prepaid-entities.js';
import { BureauSetting } from '../settings/entities/bureau-setting.entity.js';

/** Every TypeORM entity, listed explicitly (works compiled and under Jest alike). */
export const ENTITIES = [
  Enterprise,
  CreditRecord,
  ScorecardVersion,
  CreditScore,
  AppUser,
  UserSession,
  BureauSetting,
  ...PREPAID_ENTITIES,
];
