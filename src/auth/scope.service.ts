import { ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Actor } from '../audit/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { AuthUser } from './auth-user.js';
import { departmentName } from './roles.js';

/**
 * Scope rules beyond the role (docs/security.md "Scopes"). A refusal is logged and written to the
 * audit trail (action `access.denied`) before it answers.
 */
/** Credit-record kinds only the registration authority (market supervision) adds (ScopeService.recordKind). */
export const REGISTRATION_AUTHORITY_KINDS: ReadonlySet<string> = new Set(['listing', 'registration_change']);

@Injectable()
export class ScopeService {
  private readonly logger = new Logger('Scope');

  constructor(
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * An enterprise user reaches only its own enterprise. Another USCC answers 404 with the same
   * message as an unregistered one, so whether it exists does not leak.
   * @throws NotFoundException (404)
   */
  async enterprise(user: AuthUser, uscc: string, actor: Actor): Promise<void> {
    if (user.role !== 'enterprise' || user.enterpriseUscc === uscc) return;
    await this.deny(
      actor,
      'enterprise',
      uscc,
      `enterprise user ${user.username} asked for another enterprise`,
    );
    throw new NotFoundException(`enterprise ${uscc} is not in the register`);
  }

  /**
   * A regulator adds credit records only as its own department (the record's source department
   * must be the department's full name, e.g. 杨浦区市场监督管理局). Admins are not limited.
   * @throws ForbiddenException (403) naming the department allowed
   */
  async sourceDepartment(user: AuthUser, sourceDepartment: string | undefined, actor: Actor): Promise<void> {
    if (user.role !== 'regulator') return;
    const own = departmentName(this.config.DISTRICT_NAME, user.department!);
    if ((sourceDepartment ?? '').trim() === own) return;
    const reason = `a regulator of ${own} may add records of ${own} only, not of '${sourceDepartment ?? ''}'`;
    await this.deny(actor, 'credit_record', null, reason);
    throw new ForbiddenException(reason);
  }

  /**
   * The source system a record posted by this user is stored under. A regulator's records live
   * in its department's namespace (`<department>/<sourceSystem or api>`), so a regulator cannot
   * take a key that an import or another department will use (a record already stored under a
   * key is kept, and a later one with the same key is not stored). Admins are not limited.
   */
  recordSourceSystem(user: AuthUser, given: string | undefined): string | undefined {
    if (user.role !== 'regulator') return given;
    const prefix = `${user.department}/`;
    return given?.startsWith(prefix) ? given : `${prefix}${given ?? 'api'}`;
  }

  /**
   * Registering enterprises is the registration authority's work: admins and regulators of the
   * market-supervision department (market) only.
   * @throws ForbiddenException (403)
   */
  registrationAuthority(user: AuthUser, actor: Actor): Promise<void> {
    return this.onlyRegistrationAuthority(user, actor, 'enterprise', 'registers enterprises');
  }

  /**
   * Some records are the registration authority's (market supervision) to make: listings in the
   * lists it keeps (经营异常名录: 企业经营异常名录管理暂行办法, SAIC Order 68 of 2014; 严重违法失信名单:
   * SAMR Order 44 of 2021) and changes of
   * registered particulars (变更登记; 市场主体登记管理条例 art. 24). A regulator of another
   * department may not add them (they move the score as much as the department's own records).
   * Admins are not limited.
   * @throws ForbiddenException (403) naming the kind
   */
  async recordKind(user: AuthUser, kind: string | undefined, actor: Actor): Promise<void> {
    if (REGISTRATION_AUTHORITY_KINDS.has(kind ?? ''))
      await this.onlyRegistrationAuthority(user, actor, 'credit_record', `adds ${kind} records`);
  }

  /** Refuses (403, logged and audited) a regulator outside market supervision doing `what`; others pass. */
  private async onlyRegistrationAuthority(
    user: AuthUser,
    actor: Actor,
    entityType: string,
    what: string,
  ): Promise<void> {
    if (user.role !== 'regulator' || user.department === 'market') return;
    const reason = `only the registration authority (market supervision) ${what}, not ${user.department}`;
    await this.deny(actor, entityType, null, reason);
    throw new ForbiddenException(reason);
  }

  /** The audit department filter for a reader: a regulator sees its department's entries only. */
  auditDepartment(user: AuthUser): string | undefined {
    return user.role === 'regulator' ? user.department! : undefined;
  }

  /** Logs a refused access and writes it to the audit trail (`access.denied`, with the reason). */
  async deny(actor: Actor, entityType: string, entityId: string | null, reason: string): Promise<void> {
    this.logger.warn(`access denied: ${actor.name}: ${reason}`);
    await this.audit.record(actor, { action: 'access.denied', entityType, entityId, after: { reason } });
  }
}
