import { Inject, Injectable, Logger } from '@nestjs/common';
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

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/**
 * Signing keys of inspection codes (issue 12 "Issuing"; docs/check-code-format.md "Keys"): one
 * active Ed25519 key signs; retired keys keep verifying the codes they signed, by key id; a revoked
 * key verifies nothing. Private parts are stored sealed (key-seal.ts) so that every instance of
 * the service on one database signs with the same key.
 */
@Injectable()
export class KeysService {
  private readonly logger = new Logger('CheckCodeKeys');
  private active: Promise<{ kid: string; privateKey: KeyObject }> | null = null;
  private readonly publicKeys = new Map<string, { at: number; value: Promise<PublicKeyRecord | null> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How long a key read is reused, ms (a rotation or revocation elsewhere shows after at most this). */
  static readonly CACHE_MS = 5_000;

  /**
   * The active key with its private part, made on first need (advisory-locked: two instances make
   * one key).
   * @throws Error when the stored key does not open with CHECK_CODE_KEY_SECRET
   */
  signer(): Promise<{ kid: string; privateKey: KeyObject }> {
    if (!this.active) {
      this.active = this.loadOrCreate();
      this.active.catch(() => (this.active = null));
      setTimeout(() => (this.active = null), KeysService.CACHE_MS).unref();
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

  /** Every key ever published, oldest first (the trust list's rows). */
  async all(): Promise<PublicKeyRecord[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM check_code_key ORDER BY valid_from, kid`);
    return rows.map(toRecord);
  }

  private async loadOrCreate(): Promise<{ kid: string; privateKey: KeyObject }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('check_code_key'))`);
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

  /** The secret the check word's key derives from (rules/check-word.ts checkWordKey): the sealing secret. */
  checkWordSecret(): string {
    return this.secret();
  }

  /** CHECK_CODE_KEY_SECRET, or outside production the kept development secret (made on first use). */
  protected secret(): string {
    if (this.config.CHECK_CODE_KEY_SECRET) return this.config.CHECK_CODE_KEY_SECRET;
    if (this.config.NODE_ENV === 'production')
      throw new Error('CHECK_CODE_KEY_SECRET is required in production');
    const file = this.config.CHECK_CODE_KEY_SECRET_FILE;
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, randomBytes(48).toString('base64'), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
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

/** The public key object of a record (for signatureValid). */
export function keyObjectOf(r: PublicKeyRecord): KeyObject {
  return createPublicKey({ key: r.publicKey, format: 'der', type: 'spki' });
}
