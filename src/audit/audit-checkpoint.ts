import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson, type ChainAnchor } from './audit-chain.js';

/**
 * Signed checkpoints of the audit chain head (docs/security.md "Signed checkpoints"), as
 * Certificate Transparency signs its tree heads (RFC 6962 §3.5, "signed tree head"): the head
 * (`seq`, `hash`) of one chain at an instant, signed with an Ed25519 key (RFC 8032) kept outside
 * the database. Whoever rewrites the chain in the database (a superuser disabling the triggers and
 * recomputing every hash) cannot sign a matching checkpoint, so `audit verify` finds the rewrite
 * against any earlier checkpoint, without anyone having noted the head. Pure: keys and instants
 * are passed in (no files, no clock).
 */

/** What a checkpoint states. */
export interface CheckpointHead {
  /** which chain: the PostgreSQL server's system identifier and the database name, `<id>/<db>` */
  chain: string;
  /** the head entry's seq (0 for an empty trail) */
  seq: number;
  /** its hash (64 hex) */
  hash: string;
  /** when it was signed, ISO 8601 UTC */
  at: string;
}

/** A checkpoint with its signature. */
export interface SignedCheckpoint extends CheckpointHead {
  /** the signing key's id (keyIdOf) */
  keyId: string;
  /** Ed25519 signature of checkpointMessage, base64 */
  signature: string;
}

/** Version tag inside every signed message, so a signature means nothing in another context. */
export const CHECKPOINT_CONTEXT = 'credit-supervision/audit-checkpoint/v1';

/** The bytes signed: canonical JSON of the context tag, chain, seq, hash and instant. */
export function checkpointMessage(h: CheckpointHead): Buffer {
  return Buffer.from(canonicalJson([CHECKPOINT_CONTEXT, h.chain, h.seq, h.hash, h.at]), 'utf8');
}

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (SPKI DER). */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Signs a head. @param privateKey an Ed25519 private key
 * @throws TypeError when the key is not an Ed25519 private key
 */
export function signCheckpoint(head: CheckpointHead, privateKey: KeyObject): SignedCheckpoint {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519')
    throw new TypeError('an audit checkpoint is signed with an Ed25519 private key');
  const { chain, seq, hash, at } = head;
  return {
    chain,
    seq,
    hash,
    at,
    keyId: keyIdOf(privateKey),
    signature: sign(null, checkpointMessage(head), privateKey).toString('base64'),
  };
}

/**
 * What is wrong with a checkpoint under `publicKey`: signed by another key, or a signature that
 * does not verify (forged, or a field changed after signing). @returns null when it is genuine
 */
export function checkpointProblem(cp: SignedCheckpoint, publicKey: KeyObject): string | null {
  if (cp.keyId !== keyIdOf(publicKey))
    return `signed by key ${cp.keyId}, not the checkpoint key ${keyIdOf(publicKey)}`;
  let ok: boolean;
  try {
    ok = verify(null, checkpointMessage(cp), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    ok = false;
  }
  return ok ? null : 'signature does not verify with the checkpoint key (forged or altered?)';
}

/** A checkpoint as an anchor of ChainVerifier, labelled with its instant. */
export function checkpointAnchor(cp: CheckpointHead): ChainAnchor {
  return { seq: cp.seq, hash: cp.hash, label: `the signed checkpoint of ${cp.at}` };
}

/**
 * One line of the checkpoint file (JSON of a SignedCheckpoint).
 * @throws Error naming the line and the field at fault
 */
export function parseCheckpointLine(line: string, lineNo: number): SignedCheckpoint {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`line ${lineNo}: not JSON`, { cause: e });
  }
  const bad = (field: string) => new Error(`line ${lineNo}: ${field} is missing or malformed`);
  if (!v || typeof v !== 'object') throw new Error(`line ${lineNo}: not a checkpoint object`);
  if (typeof v.chain !== 'string' || !v.chain) throw bad('chain');
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0) throw bad('seq');
  if (typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) throw bad('hash');
  if (typeof v.at !== 'string' || !v.at) throw bad('at');
  if (typeof v.keyId !== 'string' || !v.keyId) throw bad('keyId');
  if (typeof v.signature !== 'string' || !v.signature) throw bad('signature');
  return {
    chain: v.chain,
    seq: v.seq as number,
    hash: v.hash,
    at: v.at,
    keyId: v.keyId,
    signature: v.signature,
  };
}
