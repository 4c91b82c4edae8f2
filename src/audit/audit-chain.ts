import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

/**
 * The audit trail's hash chain (全过程留痕、可回溯, docs/security.md "Audit trail").
 *
 * Entry n stores `prev_hash` = hash of entry n-1 (GENESIS_HASH for the first) and
 * `hash` = SHA-256 (hex) of the canonical JSON (keys sorted, safe-stable-stringify) of its fields,
 * prev_hash included. Sequence numbers are gapless from 1. So an edited row no longer matches its
 * hash, a deleted row leaves a gap and a broken link, and rows swapped in order break both.
 * Removing the newest rows is found only against a head recorded elsewhere (`--expect-head`).
 */
export const GENESIS_HASH = '0'.repeat(64);

/** Payloads larger than this (bytes of canonical JSON) are stored as their digest only. */
export const MAX_STORED_PAYLOAD_BYTES = 64 * 1024;

/** The fields an entry's hash covers, in the form they are read back from the database. */
export interface AuditEntryFields {
  seq: number;
  /** instant, UTC, microseconds: `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  at: string;
  actorId: number | null;
  actor: string;
  actorRole: string;
  actorDepartment: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  payloadDigest: string | null;
  requestId: string | null;
  prevHash: string;
}

/**
 * Text as PostgreSQL can store it: NUL characters removed and lone UTF-16 surrogates replaced
 * (text and jsonb refuse both), so an entry about hostile input can always be written.
 */
export function storableText(s: string): string {
  return s
    .split('\u0000')
    .join('')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A JSON value with every string (keys included) made storable (storableText). */
export function storableValue(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(storableValue);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), storableValue(x)]));
  return v;
}

/** Canonical JSON of a value: keys sorted, as read back from jsonb (undefined dropped). */
export function canonicalJson(value: unknown): string {
  return stringify(value === undefined ? null : value) ?? 'null';
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** SHA-256 (hex) of an entry's fields, prev_hash included. */
export function entryHash(e: AuditEntryFields): string {
  return sha256(
    canonicalJson([
      e.seq,
      e.at,
      e.actorId,
      e.actor,
      e.actorRole,
      e.actorDepartment,
      e.action,
      e.entityType,
      e.entityId,
      e.before ?? null,
      e.after ?? null,
      e.payloadDigest,
      e.requestId,
      e.prevHash,
    ]),
  );
}

/**
 * Before and after as they will be stored: normalised through JSON (what jsonb gives back), or,
 * when their canonical JSON together exceeds MAX_STORED_PAYLOAD_BYTES, both null with the
 * SHA-256 of `[before, after]` as the digest.
 */
export function storedPayloads(
  before: unknown,
  after: unknown,
): { before: unknown; after: unknown; digest: string | null } {
  const json = canonicalJson([before ?? null, after ?? null]);
  if (Buffer.byteLength(json, 'utf8') > MAX_STORED_PAYLOAD_BYTES)
    return { before: null, after: null, digest: sha256(json) };
  const [b, a] = storableValue(JSON.parse(json)) as [unknown, unknown];
  return { before: b, after: a, digest: null };
}

/** Where a chain check stopped, and why. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/** Result of walking the chain. */
export interface ChainReport {
  ok: boolean;
  /** entries checked */
  entries: number;
  /** the last intact entry (seq 0 and GENESIS_HASH for an empty trail) */
  head: { seq: number; hash: string };
  /** the first broken link, when not ok */
  broken?: ChainBreak;
}

/**
 * A head the chain must still hold: a head recorded by someone (`--expect-head`) or a signed
 * checkpoint (audit-checkpoint.ts). `label` names it in a report (default: "the recorded head").
 */
export interface ChainAnchor {
  seq: number;
  hash: string;
  label?: string;
}

/**
 * Walks entries in ascending `seq` order and reports the first broken link: a sequence gap or
 * repeat (a deleted or reordered row), a prev_hash differing from the previous entry's hash, a
 * stored hash differing from the recomputed one (an edited row), an entry whose hash differs from
 * an anchor's at its seq (history rewritten), or a chain ending before an anchor (entries removed).
 */
export class ChainVerifier {
  private entries = 0;
  private head = { seq: 0, hash: GENESIS_HASH };
  private broken?: ChainBreak;
  private readonly anchors = new Map<number, ChainAnchor[]>();
  /** the anchor with the highest seq: the chain must reach it */
  private readonly last?: ChainAnchor;

  /**
   * @param anchors heads recorded earlier (a recorded head, signed checkpoints): the chain must
   *   reach each with the same hash, or its newest entries were removed or history was rewritten
   */
  constructor(anchors: ChainAnchor | readonly ChainAnchor[] = []) {
    for (const a of Array.isArray(anchors) ? anchors : [anchors as ChainAnchor]) {
      this.anchors.set(a.seq, [...(this.anchors.get(a.seq) ?? []), a]);
      if (!this.last || a.seq > this.last.seq) this.last = a;
    }
  }

  /** Checks the next entry; false once the chain is broken (later entries are not checked). */
  next(e: AuditEntryFields & { hash: string }): boolean {
    if (this.broken) return false;
    const expectedSeq = this.head.seq + 1;
    if (e.seq !== expectedSeq) {
      this.broken = {
        seq: e.seq,
        reason:
          e.seq > expectedSeq
            ? `entries ${expectedSeq}..${e.seq - 1} are missing (deleted?)`
            : `sequence ${e.seq} comes after ${this.head.seq} (reordered?)`,
      };
      return false;
    }
    if (e.prevHash !== this.head.hash) {
      this.broken = { seq: e.seq, reason: `prev_hash does not match the hash of entry ${this.head.seq}` };
      return false;
    }
    if (entryHash(e) !== e.hash) {
      this.broken = { seq: e.seq, reason: 'stored hash does not match its content (edited?)' };
      return false;
    }
    const differs = this.anchors.get(e.seq)?.find((a) => a.hash !== e.hash);
    if (differs) {
      this.broken = {
        seq: e.seq,
        reason: `hash differs from ${differs.label ?? 'the recorded head'} (history rewritten?)`,
      };
      return false;
    }
    this.entries++;
    this.head = { seq: e.seq, hash: e.hash };
    return true;
  }

  /** The report after the last entry. */
  report(): ChainReport {
    if (!this.broken && this.last && this.head.seq < this.last.seq)
      this.broken = {
        seq: this.head.seq + 1,
        reason: `the chain ends at ${this.head.seq}, before ${this.last.label ? `${this.last.label} at entry ${this.last.seq}` : `the recorded head ${this.last.seq}`} (entries removed?)`,
      };
    return { ok: !this.broken, entries: this.entries, head: this.head, broken: this.broken };
  }
}
