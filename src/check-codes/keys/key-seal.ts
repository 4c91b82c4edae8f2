import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals a signing key's private part for storage (check_code_key.private_key): AES-256-GCM under a
 * key derived from CHECK_CODE_KEY_SECRET by HKDF-SHA256 (info `check-code-key-seal/v1`), the key id
 * as associated data (a sealed key moved to another row does not open). Layout: 12-byte IV,
 * 16-byte tag, ciphertext.
 */
export function sealKey(secret: string, kid: string, pkcs8Der: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  c.setAAD(Buffer.from(kid));
  const body = Buffer.concat([c.update(pkcs8Der), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

/**
 * Opens what sealKey made.
 * @throws Error when the secret or the key id is not the one it was sealed with
 */
export function openKey(secret: string, kid: string, sealed: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', sealingKey(secret), sealed.subarray(0, 12));
  d.setAAD(Buffer.from(kid));
  d.setAuthTag(sealed.subarray(12, 28));
  try {
    return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
  } catch {
    throw new Error(
      `the signing key ${kid} does not open with this CHECK_CODE_KEY_SECRET (another secret sealed it)`,
    );
  }
}

function sealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'check-code-key-seal/v1', 32));
}
