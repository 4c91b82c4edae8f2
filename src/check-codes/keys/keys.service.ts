import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { ALG_ED25519, kidOf } from '../rules/check-code-format.js';
import { CHECK_CODE_MAX_DAYS } from '../rules/check-code-rules.js';
import { ALG_NAMES } from '../rules/trust-list.js';
import type { TrustedKey } from '../rules/verdict.js';
import { openKey, sealKey } from './key-seal.js';

/** A signing key as verifiers see it (a row of the trust list). Times are ISO 8601. */
export interface PublicKeyRecord {
  kid: string;
  /** COSE algorithm id (-8 Ed25519) */
  alg: number;
  status: 'active' | 'retired' | 'revoked';
  /** the public key, SPKI DER */
  publicKey: Buffer;
  validFrom: string;
  /** retired: the last moment it signed */
  signsUntil: string | null;
  /** codes under this key verify until then (null: open) */
  verifiesUntil: string | null;
  revokedAt: string | null;
}

/** A key as the admin page lists it: the trust-list facts (without the key bytes), the reasons and how many codes it signed. */
export interface KeyRecord extends Omit<PublicKeyRecord, 'publicKey'> {
  algName: string;
  /** why it was retired (the rotation's note), null when none was given */
  retireReason: string | null;
  revokeReason: string | null;
  /** username of who made it (null: made by the service itself on first need, or by the CLI) */
  createdBy: string | null;
  /** codes stored under it */
  codes: number;
  /** of which issued or in use */
  liveCodes: number;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** Advisory lock of every change to the keys (hashtext of this name). */
const KEY_LOCK = 'check_code_key';

/**
 * Signing keys of inspection codes (issue 12 "Issuing"; docs/check-code-format.md "密钥轮换与吊销"):
 * one active Ed25519 key signs; retired keys keep verifying the codes they signed, by key id,
 * until their verifiesUntil; a revoked key verifies nothing. Private parts are stored sealed
 * (key-seal.ts) so that every instance of the service on one database signs with the same key.
 *
 * Several instances: every change (first key, rotation, revocation) takes the advisory lock
 * `check_code_key` in its transaction, so two instances never make two keys; the database's
 * trigger (migration 1765670400100) keeps a retired or revoked key from ever being active again.
 * Each instance caches what it read for CACHE_MS (5 s): after a rotation or revocation on another
 * instance, this one keeps signing with the old key and judging with the old statuses for at most
 * that long. A rotation therefore gives the old key SIGNING_GRACE_MS (30 s) more signing time
 * (its signsUntil), so a code signed in that window by an instance that has not seen the rotation
 * yet stays valid; a revocation gives none: a code signed with a revoked key on a lagging instance
 * is refused by the database (no code is stored under a revoked key) and judged not valid.
 */
@Injectable()
export class KeysService {
  private readonly logger = new Logger('CheckCodeKeys');
  private active: Promise<{ kid: string; privateKey: KeyObject }> | null = null;
  private readonly publicKeys = new Map<string, { at: number; value: Promise<PublicKeyRecord | null> }>();
  private trusted: { at: number; value: Promise<Map<string, TrustedKey>> } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How long a key read is reused, ms (a rotation or revocation elsewhere shows after at most this). */
  static readonly CACHE_MS = 5_000;

  /**
   * How long a rotated key may still sign, ms after the rotation: more than CACHE_MS (instances
   * that have not seen the rotation) and an issuing transaction in flight.
   */
  static readonly SIGNING_GRACE_MS = 30_000;

  /**
   * The active key with its private part, made on first need (advisory-locked: two instances make
   * one key).
   * @throws Error when the stored key does not open with CHECK_CODE_KEY_SECRET
   */
  signer(): Promise<{ kid: string; privateKey: KeyObject }> {
    if (!this.active) {
      const value = this.loadOrCreate();
      this.active = value;
      value.catch(() => {
        if (this.active === value) this.active = null;
      });
      setTimeout(() => {
        if (this.active === value) this.active = null;
      }, KeysService.CACHE_MS).unref();
    }
    return this.active;
  }

  /** A key by id for verification (cached CACHE_MS), null when unknown. */
  publicKey(kid: string): Promise<PublicKeyRecord | null> {
    const now = Date.now();
    const hit = this.publicKeys.get(kid);
    if (hit && now - hit.at < KeysService.CACHE_MS) return hit.value;
    const value = this.dataSource
      .query(`SELECT * FROM check_code_key WHERE kid = $1`, [kid])
      .then((rows: Row[]) => (rows[0] ? toRecord(rows[0]) : null));
    value.catch(() => this.publicKeys.delete(kid));
    if (this.publicKeys.size > 1000) this.publicKeys.clear();
    this.publicKeys.set(kid, { at: now, value });
    return value;
  }

  /**
   * Every key as judgeCode needs it (rules/verdict.ts), with its KeyObject parsed once: one query
   * for all keys (a bureau has a handful), cached CACHE_MS.
   * @returns the lookup to pass to judgeCode (null for an unknown kid)
   */
  async trustedKeys(): Promise<(kid: string) => TrustedKey | null> {
    const now = Date.now();
    if (!this.trusted || now - this.trusted.at >= KeysService.CACHE_MS) {
      const value = this.all().then((records) => new Map(records.map((r) => [r.kid, trustedKeyOf(r)])));
      const entry = { at: now, value };
      this.trusted = entry;
      value.catch(() => {
        if (this.trusted === entry) this.trusted = null;
      });
    }
    const keys = await this.trusted.value;
    return (kid) => keys.get(kid) ?? null;
  }

  /** Every key ever published, oldest first (the trust list's rows). */
  async all(): Promise<PublicKeyRecord[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM check_code_key ORDER BY valid_from, kid`);
    return rows.map(toRecord);
  }

  /** Every key with its reasons and code counts, newest first (the admin page, `check-codes keys list`). */
  async list(): Promise<KeyRecord[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT k.*, u.username AS created_by_name,
         (SELECT count(*) FROM check_code c WHERE c.kid = k.kid)::int AS codes,
         (SELECT count(*) FROM check_code c WHERE c.kid = k.kid AND c.status IN ('issued', 'in_use'))::int AS live_codes
       FROM check_code_key k LEFT JOIN app_user u ON u.id = k.created_by
       ORDER BY k.valid_from DESC, k.kid`,
    );
    return rows.map(toKeyRecord);
  }

  /**
   * Rotation (密钥轮换): a new active key; the old one retired at once: its private part dropped,
   * signsUntil = now + SIGNING_GRACE_MS, verifiesUntil = signsUntil + CHECK_CODE_MAX_DAYS.max (90)
   * days, or the latest notAfter of its codes when later, so every code it signed stays
   * verifiable to its own end. Without an active key it only makes one. Advisory-locked; audited
   * `check_code_key.rotate` (and `check_code_key.create` of the new key) in the same transaction.
   * @param reason why (optional, at most 500 characters: the DTO checks it)
   * @returns the retired key (null when there was none) and the new active one
   */
  async rotate(
    actor: Actor,
    reason: string | null = null,
  ): Promise<{ retired: KeyRecord | null; active: KeyRecord }> {
    const { retired, active } = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [KEY_LOCK]);
      const [old]: Row[] = await m.query(`SELECT kid FROM check_code_key WHERE status = 'active' FOR UPDATE`);
      if (old) {
        await m.query(
          `UPDATE check_code_key k SET status = 'retired', private_key = NULL, retire_reason = $2,
             signs_until = now() + make_interval(secs => $3),
             verifies_until = greatest(now() + make_interval(secs => $3) + make_interval(days => $4),
               (SELECT max(c.not_after) FROM check_code c WHERE c.kid = k.kid))
           WHERE kid = $1`,
          [old.kid, reason, KeysService.SIGNING_GRACE_MS / 1000, CHECK_CODE_MAX_DAYS.max],
        );
      }
      const made = await this.create(m, actor);
      const [after]: Row[] = old
        ? await m.query(`SELECT signs_until, verifies_until FROM check_code_key WHERE kid = $1`, [old.kid])
        : [];
      await appendAudit(sqlOf(m), actor, {
        action: 'check_code_key.rotate',
        entityType: 'check_code_key',
        entityId: (old?.kid as string | undefined) ?? made.kid,
        before: old ? { active: old.kid } : { active: null },
        after: {
          active: made.kid,
          retired: old
            ? { kid: old.kid, signsUntil: iso(after!.signs_until), verifiesUntil: iso(after!.verifies_until) }
            : null,
          reason,
        },
      });
      return { retired: (old?.kid as string | undefined) ?? null, active: made.kid };
    });
    this.forget();
    this.logger.log(`inspection-code signing key rotated: ${retired ?? '(none)'} -> ${active}`);
    const keys = await this.list();
    return {
      retired: keys.find((k) => k.kid === retired) ?? null,
      active: keys.find((k) => k.kid === active)!,
    };
  }

  /**
   * Revocation (密钥吊销, compromise): the key verifies nothing from now on (judgeCode answers
   * key_revoked for every code it signed), its private part is dropped, and the codes it signed
   * that are still issued or in use are marked revoked with the reason, so their visits can get
   * new codes. When it was the active key a new one is made in the same transaction.
   * Advisory-locked; audited `check_code_key.revoke`.
   * @throws NotFoundException no key with this kid
   * @throws ConflictException the key is revoked already
   * @returns the revoked key and the active key after it (new when the revoked one was active)
   */
  async revoke(
    kid: string,
    reason: string,
    actor: Actor,
  ): Promise<{ revoked: KeyRecord; active: KeyRecord | null; codesRevoked: number }> {
    const { made, codesRevoked } = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [KEY_LOCK]);
      const [k]: Row[] = await m.query(`SELECT kid, status FROM check_code_key WHERE kid = $1 FOR UPDATE`, [
        kid,
      ]);
      if (!k) throw new NotFoundException(`no signing key ${kid}`);
      if (k.status === 'revoked') throw new ConflictException(`signing key ${kid} is revoked already`);
      await m.query(
        `UPDATE check_code_key SET status = 'revoked', private_key = NULL, revoked_at = now(), revoke_reason = $2,
           signs_until = coalesce(least(signs_until, now()), now()), verifies_until = now()
         WHERE kid = $1`,
        [kid, reason],
      );
      const [{ n }]: { n: number }[] = await m.query(
        `WITH r AS (
           UPDATE check_code SET status = 'revoked', revoked_at = now(), revoked_by = $2, revoke_reason = $3
           WHERE kid = $1 AND status IN ('issued', 'in_use') RETURNING id)
         SELECT count(*)::int AS n FROM r`,
        [kid, actor.userId, `签名密钥 ${kid} 已吊销：${reason}`],
      );
      const made = k.status === 'active' ? await this.create(m, actor) : null;
      await appendAudit(sqlOf(m), actor, {
        action: 'check_code_key.revoke',
        entityType: 'check_code_key',
        entityId: kid,
        before: { status: k.status },
        after: { status: 'revoked', reason, codesRevoked: n, active: made?.kid ?? null },
      });
      return { made, codesRevoked: n };
    });
    this.forget();
    this.logger.warn(
      `inspection-code signing key ${kid} revoked (${codesRevoked} live codes revoked)${made ? `; new key ${made.kid}` : ''}`,
    );
    const keys = await this.list();
    return {
      revoked: keys.find((x) => x.kid === kid)!,
      active: keys.find((x) => x.status === 'active') ?? null,
      codesRevoked,
    };
  }

  /**
   * The secret the check word is derived from (rules/check-word.ts checkWordKey): the sealing
   * secret, so there is no second secret to manage.
   */
  checkWordSecret(): string {
    return this.secret();
  }

  /**
   * Drops what this instance cached, so that the next signer() and key lookups read the database:
   * for a caller whose new code was refused because its key no longer signs (revoked on another
   * instance within CACHE_MS), before it tries once more.
   */
  refresh(): void {
    this.forget();
  }

  /** Drops what this instance cached (after its own rotation or revocation). */
  private forget(): void {
    this.active = null;
    this.publicKeys.clear();
    this.trusted = null;
  }

  private async loadOrCreate(): Promise<{ kid: string; privateKey: KeyObject }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [KEY_LOCK]);
      const [row]: Row[] = await m.query(
        `SELECT kid, private_key FROM check_code_key WHERE status = 'active'`,
      );
      if (row) {
        const kid = row.kid as string;
        const der = openKey(this.secret(), kid, row.private_key as Buffer);
        return { kid, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
      }
      return this.create(m, null);
    });
  }

  /** Makes and stores a new active key (the caller holds the advisory lock and retired the old one). */
  protected async create(
    m: EntityManager,
    actor: Actor | null,
  ): Promise<{ kid: string; privateKey: KeyObject }> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ format: 'der', type: 'spki' }) as Buffer;
    const kid = kidOf(spki);
    const sealed = sealKey(this.secret(), kid, privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer);
    await m.query(
      `INSERT INTO check_code_key (kid, alg, public_key, private_key, status, created_by) VALUES ($1, $2, $3, $4, 'active', $5)`,
      [kid, ALG_ED25519, spki, sealed, actor?.userId ?? null],
    );
    await appendAudit(
      sqlOf(m),
      actor ?? { userId: null, name: 'system', role: 'system', department: null, requestId: null },
      {
        action: 'check_code_key.create',
        entityType: 'check_code_key',
        entityId: kid,
        after: { kid, alg: ALG_ED25519 },
      },
    );
    this.logger.log(`inspection-code signing key ${kid} made`);
    return { kid, privateKey };
  }

  /** CHECK_CODE_KEY_SECRET, or outside production the kept development secret (made on first use). */
  protected secret(): string {
    if (this.config.CHECK_CODE_KEY_SECRET) return this.config.CHECK_CODE_KEY_SECRET;
    if (this.config.NODE_ENV === 'production')
      throw new Error('CHECK_CODE_KEY_SECRET is required in production');
    const file = this.config.CHECK_CODE_KEY_SECRET_FILE;
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      try {
        writeFileSync(file, randomBytes(48).toString('base64'), { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
      } catch (e) {
        // another process made it first: use theirs
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    return readFileSync(file, 'utf8').trim();
  }
}

function toRecord(r: Row): PublicKeyRecord {
  return {
    kid: r.kid as string,
    alg: Number(r.alg),
    status: r.status as PublicKeyRecord['status'],
    publicKey: r.public_key as Buffer,
    validFrom: iso(r.valid_from)!,
    signsUntil: iso(r.signs_until),
    verifiesUntil: iso(r.verifies_until),
    revokedAt: iso(r.revoked_at),
  };
}

function toKeyRecord(r: Row): KeyRecord {
  const { publicKey: _publicKey, ...base } = toRecord(r);
  return {
    ...base,
    algName: ALG_NAMES[base.alg] ?? String(base.alg),
    retireReason: (r.retire_reason as string | null) ?? null,
    revokeReason: (r.revoke_reason as string | null) ?? null,
    createdBy: (r.created_by_name as string | null) ?? null,
    codes: Number(r.codes),
    liveCodes: Number(r.live_codes),
  };
}

/** The public key object of a record (for signatureValid). */
export function keyObjectOf(r: PublicKeyRecord): KeyObject {
  return createPublicKey({ key: r.publicKey, format: 'der', type: 'spki' });
}

/** A stored key as judgeCode needs it (times in ms, the KeyObject parsed). */
export function trustedKeyOf(r: PublicKeyRecord): TrustedKey {
  const ms = (v: string | null) => (v === null ? null : Date.parse(v));
  return {
    kid: r.kid,
    alg: r.alg,
    status: r.status,
    publicKey: r.publicKey,
    keyObject: r.alg === ALG_ED25519 ? keyObjectOf(r) : undefined,
    validFromMs: Date.parse(r.validFrom),
    signsUntilMs: ms(r.signsUntil),
    verifiesUntilMs: ms(r.verifiesUntil),
  };
}
