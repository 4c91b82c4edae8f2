import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { parseCheckpointLine, type SignedCheckpoint } from './audit-checkpoint.js';

/**
 * The files of the signed audit checkpoints (docs/security.md "Signed checkpoints"), outside the
 * database: the Ed25519 signing key (PKCS#8 PEM, mode 0600, made on first use in a folder of mode
 * 0700) and, beside it, `audit-checkpoints.jsonl`, one signed checkpoint per line (appended, mode
 * 0600). A database superuser can delete checkpoint rows but not these lines, and cannot sign new
 * ones without the key.
 */

/** The signing key and its public half. */
export interface CheckpointKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** the key file */
  file: string;
}

/** The checkpoint file beside a key file. */
export function checkpointLogOf(keyFile: string): string {
  return path.join(path.dirname(keyFile), 'audit-checkpoints.jsonl');
}

/**
 * Reads the signing key from `file`, or, with `create` and no file yet, makes one (Ed25519,
 * written with mode 0600; its folder made with mode 0700).
 * @returns the key, or null when there is none and `create` is false
 * @throws Error naming the file when it can be read by others (group or world bits set: chmod
 *   600 it) or does not hold an Ed25519 private key
 */
export function loadCheckpointKey(file: string, create: boolean): CheckpointKey | null {
  if (!existsSync(file)) {
    if (!create) return null;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // another process made it first: use theirs
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077)
    throw new Error(
      `${file}: the audit checkpoint key has mode ${mode.toString(8).padStart(4, '0')}; other users may read it (chmod 600 it)`,
    );
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (e) {
    throw new Error(`${file}: not a private key (${(e as Error).message})`, { cause: e });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`${file}: an ${privateKey.asymmetricKeyType} key, not Ed25519`);
  return { privateKey, publicKey: createPublicKey(privateKey), file };
}

/** Appends one checkpoint to the file (made with mode 0600 when absent). */
export function appendCheckpoint(logFile: string, cp: SignedCheckpoint): void {
  const fresh = !existsSync(logFile);
  appendFileSync(logFile, `${JSON.stringify(cp)}\n`, { mode: 0o600 });
  if (fresh) chmodSync(logFile, 0o600);
}

/**
 * The checkpoints of the file (none when it does not exist).
 * @throws Error naming the file and line of a line that is not a checkpoint
 */
export function readCheckpointLog(logFile: string): SignedCheckpoint[] {
  if (!existsSync(logFile)) return [];
  const out: SignedCheckpoint[] = [];
  readFileSync(logFile, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(parseCheckpointLine(line, i + 1));
      } catch (e) {
        throw new Error(`${logFile}: ${(e as Error).message}`, { cause: e });
      }
    });
  return out;
}
