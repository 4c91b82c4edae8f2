import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../audit/actor.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { unprocessable } from '../http/api-errors.js';
import { AuthUser } from './auth-user.js';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserView } from './dto/user.dto.js';
import { ROLE_LABELS, roleFieldProblems, type Role } from './roles.js';
import { passwordProblem } from './rules/password-policy.js';
import { endUserSessions } from './sessions.service.js';

const USER_COLUMNS = `u.id::int AS id, u.username, u.display_name, u.role, u.department, u.credential_no,
  u.enterprise_id::int AS enterprise_id, e.uscc, u.active, u.created_at, u.token_version`;
/** Users with their enterprise's USCC (enterprise users), deleted ones left out. */
const USERS_FROM = `FROM app_user u LEFT JOIN enterprise e ON e.id = u.enterprise_id WHERE u.deleted_at IS NULL`;

function toView(r: Record<string, unknown>): UserView {
  return {
    id: r.id as number,
    username: r.username as string,
    displayName: r.display_name as string,
    role: r.role as Role,
    roleLabel: ROLE_LABELS[r.role as Role],
    department: (r.department as string | null) ?? null,
    credentialNo: (r.credential_no as string | null) ?? null,
    uscc: (r.uscc as string | null) ?? null,
    active: r.active as boolean,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}

/**
 * Users and their credentials (docs/security.md "Users and roles"). Passwords are kept as bcrypt
 * hashes (bcryptjs, cost BCRYPT_ROUNDS). Every change writes its audit entry in its transaction.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** bcrypt hash of a password at the configured cost. */
  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.BCRYPT_ROUNDS);
  }

  /**
   * Creates a user. Regulators and inspectors need a department, inspectors a credential number
   * (执法证号), enterprise users the USCC of a registered enterprise; other roles must not carry them.
   * @throws 422 naming each field at fault (weak password included); 409 username or credential taken
   */
  async create(dto: CreateUserDto, actor: Actor): Promise<UserView> {
    const problems = roleFieldProblems(dto.role, dto, true);
    const pw = passwordProblem(dto.password, dto.username);
    if (pw) problems.push({ field: 'password', reason: pw });
    if (problems.length) throw unprocessable(problems);
    const passwordHash = await this.hash(dto.password);
    return this.dataSource.transaction(async (m) => {
      let enterpriseId: number | null = null;
      if (dto.uscc) {
        const [e] = await m.query(`SELECT id::int AS id FROM enterprise WHERE uscc = $1`, [dto.uscc]);
        if (!e)
          throw unprocessable([{ field: 'uscc', reason: `enterprise ${dto.uscc} is not in the register` }]);
        enterpriseId = e.id;
      }
      await this.refuseTaken(m, dto);
      const [{ id }] = await m.query(
        `INSERT INTO app_user (username, display_name, password_hash, role, department, credential_no, enterprise_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
        [
          dto.username,
          dto.displayName,
          passwordHash,
          dto.role,
          dto.department ?? null,
          dto.credentialNo ?? null,
          enterpriseId,
        ],
      );
      const view = await this.view(m, id);
      await appendAudit(sqlOf(m), actor, {
        action: 'user.create',
        entityType: 'app_user',
        entityId: id,
        after: view,
      });
      return view;
    });
  }

  /**
   * Refuses a username or credential number held by another user (not deleted), with a message
   * naming it; the partial unique indexes of app_user are the last word under concurrency (409).
   * @throws ConflictException (409)
   */
  private async refuseTaken(
    m: EntityManager,
    given: { username?: string; credentialNo?: string },
    exceptId = 0,
  ): Promise<void> {
    for (const [column, value, message] of [
      ['username', given.username, `username ${given.username} is taken`],
      [
        'credential_no',
        given.credentialNo,
        `credential number ${given.credentialNo} belongs to another user`,
      ],
    ] as const) {
      if (!value) continue;
      const [taken] = await m.query(
        `SELECT 1 FROM app_user WHERE ${column} = $1 AND deleted_at IS NULL AND id <> $2`,
        [value, exceptId],
      );
      if (taken) throw new ConflictException(message);
    }
  }

  private async view(m: EntityManager, id: number): Promise<UserView> {
    const [r] = await m.query(`SELECT ${USER_COLUMNS} ${USERS_FROM} AND u.id = $1`, [id]);
    if (!r) throw new NotFoundException(`user ${id} does not exist`);
    return toView(r);
  }

  /** One user (not deleted). @throws NotFoundException (404) */
  get(id: number): Promise<UserView> {
    return this.view(this.dataSource.manager, id);
  }

  /** Users (not deleted), by role, department and active or not, ordered by username, paginated. */
  async list(
    q: ListUsersQuery,
  ): Promise<{ items: UserView[]; total: number; page: number; pageSize: number }> {
    const params: unknown[] = [q.role ?? null, q.department ?? null, q.active ?? null];
    const filter = `${USERS_FROM} AND ($1::text IS NULL OR u.role = $1) AND ($2::text IS NULL OR u.department = $2)
      AND ($3::boolean IS NULL OR u.active = $3)`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total ${filter}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} ${filter} ORDER BY u.username LIMIT $4 OFFSET $5`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items: rows.map(toView), total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Changes a user's display name, department, credential number, password or active flag. A new
   * password or a deactivation (active false, 停用) raises the token version and ends the user's
   * browser sessions, so its tokens and sessions stop working at once. Audited as
   * `user.deactivate`, `user.activate`, `user.update_password` or `user.update` (the first that
   * applies), with before and after.
   * @throws 404 unknown user; 422 a field that does not fit the role, or a weak password;
   *   409 deactivating oneself or the last active admin
   */
  async update(id: number, dto: UpdateUserDto, actor: Actor): Promise<UserView> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.view(m, id);
      const problems = roleFieldProblems(before.role, dto, false);
      const pw = dto.password === undefined ? null : passwordProblem(dto.password, before.username);
      if (pw) problems.push({ field: 'password', reason: pw });
      if (problems.length) throw unprocessable(problems);
      await this.refuseTaken(m, { credentialNo: dto.credentialNo }, id);
      const deactivating = dto.active === false && before.active;
      if (deactivating) {
        if (actor.userId === id) throw new ConflictException('you cannot deactivate yourself');
        if (before.role === 'admin') await this.refuseLastAdmin(m, 'deactivated');
      }
      const hash = dto.password === undefined ? null : await this.hash(dto.password);
      await m.query(
        `UPDATE app_user SET display_name = coalesce($2, display_name), department = coalesce($3, department),
           credential_no = coalesce($4, credential_no), password_hash = coalesce($5, password_hash),
           active = coalesce($6, active),
           token_version = token_version + (CASE WHEN $5::text IS NULL AND NOT $7 THEN 0 ELSE 1 END), updated_at = now()
         WHERE id = $1`,
        [
          id,
          dto.displayName ?? null,
          dto.department ?? null,
          dto.credentialNo ?? null,
          hash,
          dto.active ?? null,
          deactivating,
        ],
      );
      if (deactivating) await endUserSessions(m, id, 'deactivated');
      else if (hash) await endUserSessions(m, id, 'password_change');
      const after = await this.view(m, id);
      const action =
        after.active !== before.active
          ? after.active
            ? 'user.activate'
            : 'user.deactivate'
          : hash
            ? 'user.update_password'
            : 'user.update';
      await appendAudit(sqlOf(m), actor, {
        action,
        entityType: 'app_user',
        entityId: id,
        before,
        after: { ...after, passwordChanged: hash !== null },
      });
      return after;
    });
  }

  /**
   * Refuses (409) to take away the last active admin (nobody could manage users any more). Locks
   * the admins so two concurrent changes cannot both pass.
   */
  private async refuseLastAdmin(m: EntityManager, what: 'deleted' | 'deactivated'): Promise<void> {
    const admins: { active: boolean }[] = await m.query(
      `SELECT active FROM app_user WHERE role = 'admin' AND deleted_at IS NULL FOR UPDATE`,
    );
    if (admins.filter((a) => a.active).length <= 1)
      throw new ConflictException(`the last admin cannot be ${what} (no other active admin)`);
  }

  /**
   * Signs a user out everywhere: raises its token version (every access token stops working) and
   * ends every browser session, in one transaction with the audit entry `auth.sign_out_everywhere`.
   */
  async signOutEverywhere(id: number, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE app_user SET token_version = token_version + 1, updated_at = now() WHERE id = $1`,
        [id],
      );
      await endUserSessions(m, id, 'sign_out_everywhere');
      await appendAudit(sqlOf(m), actor, {
        action: 'auth.sign_out_everywhere',
        entityType: 'app_user',
        entityId: id,
      });
    });
  }

  /**
   * Deletes a user: the row stays (the audit trail refers to it) with deleted_at set and the token
   * version raised, so its tokens stop working at once.
   * @throws 404 unknown user; 409 the last active admin (nobody could manage users any more)
   */
  async delete(id: number, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.view(m, id);
      if (before.role === 'admin' && before.active) await this.refuseLastAdmin(m, 'deleted');
      await m.query(
        `UPDATE app_user SET deleted_at = now(), token_version = token_version + 1, updated_at = now() WHERE id = $1`,
        [id],
      );
      await endUserSessions(m, id, 'revoked');
      await appendAudit(sqlOf(m), actor, {
        action: 'user.delete',
        entityType: 'app_user',
        entityId: id,
        before,
      });
    });
  }

  /** A user by username with the password hash, for login (deactivated ones too: `active`); null when absent or deleted. */
  async forLogin(
    username: string,
  ): Promise<(UserView & { passwordHash: string; tokenVersion: number }) | null> {
    const [r] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS}, u.password_hash ${USERS_FROM} AND u.username = $1`,
      [username],
    );
    return r ? { ...toView(r), passwordHash: r.password_hash, tokenVersion: r.token_version } : null;
  }

  /**
   * The user a token names, if it still applies: not deleted, active, and the same token version
   * (no password change, deactivation, sign-out everywhere or deletion since the token was
   * issued). One indexed query per request.
   */
  async forToken(id: number, tokenVersion: number): Promise<AuthUser | null> {
    const [r] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} ${USERS_FROM} AND u.id = $1 AND u.token_version = $2 AND u.active`,
      [id, tokenVersion],
    );
    if (!r) return null;
    return {
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      department: r.department,
      credentialNo: r.credential_no,
      enterpriseId: r.enterprise_id,
      enterpriseUscc: r.uscc,
    };
  }

  /** Whether any active admin exists (the first one is created with the CLI). */
  async hasAdmin(): Promise<boolean> {
    const [r] = await this.dataSource.query(
      `SELECT 1 FROM app_user WHERE role = 'admin' AND deleted_at IS NULL AND active LIMIT 1`,
    );
    return !!r;
  }
}
