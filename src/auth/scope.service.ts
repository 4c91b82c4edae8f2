import { ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Actor } from '../audit/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { AuthUser } from './auth-user.js';
import { departmentName } from './roles.js';
import { issueRefusal } from '../credit/rules/record-authorities.js';
import type { CreditRecordKind } from '../credit/rules/record-kinds.js';
import { SettingsService } from '../settings/settings.service.js';

/** The 403 of an enterprise user asking for its tier while the bureau does not show tiers to enterprises. */
export const TIER_HIDDEN_MESSAGE =
  'the bureau does not show risk tiers to enterprises (domain.md 4): risk tiers allocate supervision and are not a rating published about the enterprise';

/**
 * Scope rules beyond the role (docs/security.md "Scopes"). A refusal is logged and written to the
 * audit trail (action `access.denied`) before it answers.
 */

@Injectable()
export class ScopeService {
  private readonly logger = new Logger('Scope');

  constructor(
    private readonly audit: AuditService,
    private readonly settings: SettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Whether this user may see risk tiers and scores of its enterprise: every role but enterprise
   * always; an enterprise user only when the bureau enables it (setting enterpriseTierVisible,
   * default off). Risk tiers allocate supervision (domain.md 4); showing them to the enterprise
   * is the bureau's choice. The one place the rule lives: @RiskTier() endpoints (via the guard)
   * and `withTier` use it.
   */
  async tierShownTo(user: AuthUser): Promise<boolean> {
    if (user.role !== 'enterprise') return true;
    return (await this.settings.get()).enterpriseTierVisible;
  }

  /**
   * Refuses (403, audited) an enterprise user an answer about its tier while tiers are hidden
   * from enterprises (tierShownTo). Called by the AuthGuard for @RiskTier() endpoints.
   * @throws ForbiddenException (403) TIER_HIDDEN_MESSAGE
   */
  async riskTier(user: AuthUser, uscc: string | null, actor: Actor): Promise<void> {
    if (await this.tierShownTo(user)) return;
    await this.deny(
      actor,
      'enterprise',
      uscc,
      'risk tiers are not shown to enterprises (setting enterpriseTierVisible)',
    );
    throw new ForbiddenException(TIER_HIDDEN_MESSAGE);
  }

  /** A view with `tier` and `score` as the user may see them: null for an enterprise user while tiers are hidden. */
  async withTier<T extends { tier: string | null; score: number | null }>(
    user: AuthUser,
    view: T,
  ): Promise<T> {
    return (await this.tierShownTo(user)) ? view : { ...view, tier: null, score: null };
  }

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
   * A regulator posts only the kinds of record its department issues (RECORD_AUTHORITIES,
   * credit/rules/record-authorities.ts: a court's defaulter and judicial records, the tax bureau's
   * unpaid tax, market supervision's listings, spot checks and registration changes, any
   * department's own penalties, inspections, complaints, referrals and honours). Admins are not
   * limited (they act for the bureau, as the CLI's imports do; docs/security.md "Who may post what").
   * @throws ForbiddenException (403) naming the kind, who issues it and the source; audited
   */
  async recordKind(user: AuthUser, kind: CreditRecordKind, actor: Actor): Promise<void> {
    if (user.role !== 'regulator') return;
    const reason = issueRefusal(kind, user.department!);
    if (!reason) return;
    await this.deny(actor, 'credit_record', null, reason);
    throw new ForbiddenException(reason);
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
