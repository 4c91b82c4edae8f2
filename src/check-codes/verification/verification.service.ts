import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { keyObjectOf, KeysService, PublicKeyRecord } from '../keys/keys.service.js';
import {
  CheckCodeFormatError,
  codeTextOf,
  decodeCheckCode,
  DecodedCode,
  MAX_CODE_TEXT,
} from '../rules/check-code-format.js';
import type { CheckCodeState } from '../rules/check-code-rules.js';
import { checkWord, checkWordKey, checkWordWindow, secondsLeftInWindow } from '../rules/check-word.js';
import { judgeCode, StoredCode, TrustedKey, Verdict } from '../rules/verdict.js';
import { RefusalAudit } from './refusal-audit.js';
import { auditedReason, StoredCodeRow, VerificationView, verificationView } from './verification-view.js';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
const ms = (v: string | null) => (v === null ? null : Date.parse(v));

/** The stored code's columns verification reads (one indexed lookup by the unique code_no). */
const ROW_SQL = `SELECT code_no, code_text, status, revoke_reason, particulars, not_before, not_after,
  checked_in_at, completed_at FROM check_code WHERE code_no = $1`;

/** A stored code read at `at` (ms), reused for ROW_CACHE_MS. */
interface RowEntry {
  at: number;
  value: Promise<StoredCodeRow | null>;
}

/** A valid verdict with the inputs it was reached from and the moments it holds between. */
interface Memo {
  codeNo: string;
  kid: string;
  key: TrustedKey;
  entry: RowEntry;
  verdict: Verdict;
  from: number;
  until: number;
}

/** Who asks (for the audit of refusals). */
export interface Asker {
  actor: Actor;
  address: string | null;
}

/**
 * Verification of inspection codes (issue 12 "Verifying"): the one verdict (rules/verdict.ts
 * judgeCode) with the service's keys (KeysService, reused 5 s) and, for a genuine code, its stored
 * row, turned into the public view (verification-view.ts). Per request, a forged or unreadable code
 * costs no query at all (the key lookup is cached; its verdict falls before the stored row is
 * read); a genuine one costs at most one indexed query, and none while its row is cached
 * (ROW_CACHE_MS: a revocation or a check-in shows within that, per instance; docs/security.md).
 */
@Injectable()
export class VerificationService {
  /** How long a stored code is reused, ms. */
  static readonly ROW_CACHE_MS = 1_000;
  private readonly rows = new Map<string, RowEntry>();
  /** valid verdicts by code text, reused while their inputs hold (judge) */
  private readonly valid = new Map<string, Memo>();
  /** key objects of the key records KeysService hands out (a record is reused for its 5 s) */
  private readonly trusted = new WeakMap<PublicKeyRecord, TrustedKey>();
  /** the check-word key (derived once: the sealing secret is fixed for the process) */
  private wordKey: Buffer | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly refusals: RefusalAudit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Verifies a code's text (or its verification URL) now.
   * @param input the text form `JC1.`... (any case) or a URL ending in `/v/<text>`
   * @param asker who asks: refused attempts of forgery or misuse are audited (refusal-audit.ts)
   * @returns the public view: verdict, reason, what to do and, when valid, the particulars
   */
  async verify(input: string, asker: Asker | null, nowMs = Date.now()): Promise<VerificationView> {
    const { verdict, row } = await this.judge(input, nowMs);
    if (!verdict.valid && asker && auditedReason(verdict.reason))
      this.refusals.note(
        {
          reason: verdict.reason,
          input,
          claimedCodeNo: verdict.claims?.codeNo ?? null,
          codeNo: verdict.reason === 'revoked' ? (verdict.claims?.codeNo ?? null) : null,
          kid: verdict.kid,
          address: asker.address,
        },
        asker.actor,
        nowMs,
      );
    return verificationView(verdict, row, (codeNo) => this.checkWordNow(codeNo, nowMs), {
      district: this.config.DISTRICT_NAME,
      bureauPhone: this.config.BUREAU_PHONE,
      bureauPhoneName: this.config.BUREAU_PHONE_NAME,
    });
  }

  /**
   * judgeCode online, with the key by the code's key id and the stored row by its code number:
   * one signature check per request and at most one indexed read per code number a second (the
   * row cache). A code that cannot be read, or names a key the service never had or revoked,
   * never reaches the database. A valid verdict is reused for the same text while its inputs are
   * the same objects (the key record KeysService hands out, the cached stored row) and no time
   * bound of the rule is crossed (the row cache's second, the code's notAfter, the key's
   * verifiesUntil): judgeCode would answer the same, so a code verified again and again costs no
   * signature check either.
   */
  async judge(input: string, nowMs: number): Promise<{ verdict: Verdict; row: StoredCodeRow | null }> {
    const text = input.length <= MAX_CODE_TEXT ? codeTextOf(input) : null;
    const memo = text === null ? undefined : this.valid.get(text);
    if (memo && nowMs >= memo.from && nowMs < memo.until && this.rows.get(memo.codeNo) === memo.entry) {
      const record = await this.keys.publicKey(memo.kid);
      if (record && this.trustedKey(record) === memo.key)
        return { verdict: memo.verdict, row: await memo.entry.value };
    }
    let decoded: DecodedCode | null = null;
    try {
      decoded = decodeCheckCode(input);
    } catch (e) {
      if (!(e instanceof CheckCodeFormatError)) throw e;
    }
    // unreadable: the rule names the format problem without a key
    if (!decoded) return { verdict: judgeCode(input, () => null, nowMs), row: null };
    const { kid } = decoded;
    const record = await this.keys.publicKey(kid);
    const key = record ? this.trustedKey(record) : null;
    const lookup = (k: string) => (k === kid ? key : null);
    // under a key the service never had, or revoked: the rule refuses it before the stored row
    if (!key || key.status === 'revoked') return { verdict: judgeCode(input, lookup, nowMs), row: null };
    const entry =
      this.cachedRow(decoded.claims.codeNo, nowMs) ?? this.storedRow(decoded.claims.codeNo, nowMs);
    const row = await entry.value;
    const stored: StoredCode | null = row
      ? { codeText: row.codeText, status: row.status, revokeReason: row.revokeReason }
      : null;
    const verdict = judgeCode(input, lookup, nowMs, stored);
    if (verdict.valid && key && text !== null) {
      if (this.valid.size > 10_000) this.valid.clear();
      this.valid.set(text, {
        codeNo: verdict.claims.codeNo,
        kid,
        key,
        entry,
        verdict,
        from: Math.max(nowMs, verdict.claims.notBefore * 1000),
        until: Math.min(
          entry.at + VerificationService.ROW_CACHE_MS,
          verdict.claims.notAfter * 1000,
          key.verifiesUntilMs ?? Infinity,
        ),
      });
    }
    // the stored row describes this text only when it is the text stored
    return { verdict, row: row && row.codeText === text ? row : null };
  }

  /** The check word of a code now and the seconds it still holds (rules/check-word.ts). */
  checkWordNow(codeNo: string, nowMs = Date.now()): { word: string; secondsLeft: number } {
    this.wordKey ??= checkWordKey(this.keys.checkWordSecret());
    return {
      word: checkWord(this.wordKey, codeNo, checkWordWindow(nowMs)),
      secondsLeft: secondsLeftInWindow(nowMs),
    };
  }

  private trustedKey(r: PublicKeyRecord): TrustedKey {
    let t = this.trusted.get(r);
    if (!t) {
      t = {
        kid: r.kid,
        alg: r.alg,
        status: r.status,
        publicKey: r.publicKey,
        // the key object, made once per record (parsing the SPKI costs about 140 µs a check)
        keyObject: keyObjectOf(r),
        validFromMs: Date.parse(r.validFrom),
        signsUntilMs: ms(r.signsUntil),
        verifiesUntilMs: ms(r.verifiesUntil),
      };
      this.trusted.set(r, t);
    }
    return t;
  }

  private cachedRow(codeNo: string, nowMs: number): RowEntry | undefined {
    const hit = this.rows.get(codeNo);
    return hit && nowMs - hit.at < VerificationService.ROW_CACHE_MS && nowMs >= hit.at ? hit : undefined;
  }

  private storedRow(codeNo: string, nowMs: number): RowEntry {
    const value = this.dataSource.query(ROW_SQL, [codeNo]).then((rows: Row[]) => {
      const r = rows[0];
      return r ? rowOf(r) : null;
    });
    value.catch(() => this.rows.delete(codeNo));
    if (this.rows.size > 10_000) this.rows.clear();
    const entry = { at: nowMs, value };
    this.rows.set(codeNo, entry);
    return entry;
  }
}

function rowOf(r: Row): StoredCodeRow {
  return {
    codeNo: r.code_no as string,
    codeText: r.code_text as string,
    status: r.status as CheckCodeState,
    revokeReason: (r.revoke_reason as string | null) ?? null,
    particulars: r.particulars,
    notBefore: iso(r.not_before)!,
    notAfter: iso(r.not_after)!,
    checkedInAt: iso(r.checked_in_at),
    completedAt: iso(r.completed_at),
  };
}
