import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Actor } from '../../audit/actor.js';
import { AuditService } from '../../audit/audit.service.js';
import { codeTextOf } from '../rules/check-code-format.js';

/** One refused verification, as it is audited. */
export interface RefusedVerification {
  /** the verdict's reason (bad_signature, unknown_key, revoked, not_issued, ...) */
  reason: string;
  /** the text given (a code or a verification URL) */
  input: string;
  /** the code number it claims, when it could be read (a forged code's claim: not proof) */
  claimedCodeNo: string | null;
  /** the code number when the code is genuine (revoked): the audit entry's entity id */
  codeNo: string | null;
  /** key id in its header, when readable */
  kid: string | null;
  /** the client address */
  address: string | null;
}

/** Digest naming a code text in the audit trail: SHA-256 of its stored form, first 16 hex digits. */
export function codeDigest(input: string): string {
  return createHash('sha256').update(codeTextOf(input)).digest('hex').slice(0, 16);
}

/** Length of a counting window, ms (one hour). */
export const REFUSAL_WINDOW_MS = 3_600_000;
/** Distinct (reason, code) entries written per window per instance; further ones are only counted. */
export const REFUSAL_ENTRIES_PER_WINDOW = 100;

/**
 * Writes refused verifications to the audit trail without letting a flood write the
 * hash-chained log at the rate of requests (docs/security.md "Inspection codes: verification"):
 * per instance and hour, the first refusal of each (reason, code digest) is written at once as
 * `check_code.verify_refused` (reason, digest, claimed code number, key id, address, request id);
 * repeats of it are counted, and so are distinct ones beyond REFUSAL_ENTRIES_PER_WINDOW. When the
 * hour ends (at the next refusal, on an hourly timer, or at shutdown) one
 * `check_code.verify_refused_summary` entry gives the hour's counts by reason, the repeats of each
 * written entry and the number left unwritten. So a flood costs at most 101 appends an hour per
 * instance, and the trail still says how many attempts there were.
 * Writing happens after the answer (errors are logged): a verification never waits for the chain lock.
 */
@Injectable()
export class RefusalAudit implements OnModuleDestroy {
  private readonly logger = new Logger('CheckCodeVerification');
  private window = 0;
  /** written entries of the window: digest key -> repeats after the first */
  private written = new Map<
    string,
    { reason: string; digest: string; codeNo: string | null; repeats: number }
  >();
  /** refusals by reason in the window (every one, written or not) */
  private byReason = new Map<string, number>();
  /** distinct (reason, code) refusals beyond the window's cap: key -> count */
  private overflow = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly audit: AuditService) {
    this.timer = setInterval(() => this.rollOver(Date.now()), 60_000);
    this.timer.unref();
  }

  /** Counts one refusal and writes its entry when it is the first of its kind this hour. */
  note(r: RefusedVerification, actor: Actor, nowMs = Date.now()): void {
    this.rollOver(nowMs);
    const digest = codeDigest(r.input);
    const key = `${r.reason}|${digest}`;
    this.byReason.set(r.reason, (this.byReason.get(r.reason) ?? 0) + 1);
    const seen = this.written.get(key);
    if (seen) {
      seen.repeats++;
      return;
    }
    if (this.written.size >= REFUSAL_ENTRIES_PER_WINDOW || this.overflow.has(key)) {
      this.overflow.set(key, (this.overflow.get(key) ?? 0) + 1);
      return;
    }
    this.written.set(key, { reason: r.reason, digest, codeNo: r.codeNo ?? r.claimedCodeNo, repeats: 0 });
    this.write(actor, {
      action: 'check_code.verify_refused',
      entityType: 'check_code',
      entityId: r.codeNo,
      after: {
        reason: r.reason,
        codeDigest: digest,
        claimedCodeNo: r.claimedCodeNo,
        kid: r.kid,
        address: r.address,
        window: new Date(this.window * REFUSAL_WINDOW_MS).toISOString(),
      },
    });
  }

  /** Writes the summary of an ended window (if anything was repeated or left unwritten) and starts a new one. */
  rollOver(nowMs: number, force = false): void {
    const w = Math.floor(nowMs / REFUSAL_WINDOW_MS);
    if (w === this.window && !force) return;
    const repeated = [...this.written.values()].filter((e) => e.repeats > 0);
    const unwritten = [...this.overflow.values()].reduce((a, b) => a + b, 0);
    if (this.window !== 0 && (repeated.length > 0 || unwritten > 0))
      this.write(
        {
          userId: null,
          name: 'check-code-verification',
          role: 'system',
          department: null,
          requestId: null,
        },
        {
          action: 'check_code.verify_refused_summary',
          entityType: 'check_code',
          entityId: null,
          after: {
            from: new Date(this.window * REFUSAL_WINDOW_MS).toISOString(),
            to: new Date(Math.min(nowMs, (this.window + 1) * REFUSAL_WINDOW_MS)).toISOString(),
            refusals: Object.fromEntries([...this.byReason].sort()),
            written: this.written.size,
            repeats: repeated.map((e) => ({
              reason: e.reason,
              codeDigest: e.digest,
              codeNo: e.codeNo,
              repeats: e.repeats,
            })),
            unwrittenDistinct: this.overflow.size,
            unwrittenRefusals: unwritten,
          },
        },
      );
    this.window = w;
    this.written = new Map();
    this.byReason = new Map();
    this.overflow = new Map();
  }

  /** Resolves when every entry noted so far is written (tests, shutdown). */
  async flushed(): Promise<void> {
    let last: Promise<unknown>;
    do {
      last = this.pending;
      await last;
    } while (last !== this.pending);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.rollOver(Date.now(), true);
    await this.flushed();
  }

  private write(actor: Actor, event: Parameters<AuditService['record']>[1]): void {
    this.pending = this.pending
      .then(() => this.audit.record(actor, event))
      .catch((e: unknown) =>
        this.logger.error(
          `audit of a refused verification not written: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
  }
}
