import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { base32nopad } from '@scure/base';
import QRCode from 'qrcode';
import {
  CheckCodeClaims,
  CheckCodeFormatError,
  decodeCheckCode,
  kidOf,
  signatureValid,
  signCheckCode,
} from './check-code-format.js';

const keys = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, kid: kidOf(publicKey.export({ format: 'der', type: 'spki' }) as Buffer) };
};
const claims: CheckCodeClaims = {
  issuer: '310110',
  codeNo: 'K7Q9M2XD',
  issuedAt: 1_764_600_000,
  notBefore: 1_764_600_000,
  notAfter: 1_765_200_000,
  taskIds: [1_234_567, 1_234_568],
  uscc: '91310110MA1G8XXXXX',
  itemCodes: ['YP-SC-01', 'YP-SC-02', 'YP-SC-05'],
  credentialNos: ['31011020260001', '31011020260002'],
  departments: ['market', 'health'],
  planNo: 'YPJH-2026-001',
  triggerIds: [],
};

describe('check code format v1', () => {
  it('round-trips claims, kid and signature, bare or inside its verification URL', () => {
    const k = keys();
    const text = signCheckCode(claims, k.kid, k.privateKey);
    expect(text.startsWith('JC1.')).toBe(true);
    for (const input of [text, `https://jg.example.gov.cn/v/${text}`, `  ${text}\n`]) {
      const d = decodeCheckCode(input);
      expect(d.claims).toEqual(claims);
      expect(d.kid).toBe(k.kid);
      expect(signatureValid(d, k.publicKey)).toBe(true);
    }
  });

  it('fits a QR code at level Q inside its upper-cased URL: version 16 for two tasks, 20 for a large joint visit', () => {
    const k = keys();
    const url = (c: CheckCodeClaims) => `HTTPS://JG.YANGPU.GOV.CN/V/${signCheckCode(c, k.kid, k.privateKey)}`;
    expect(QRCode.create(url(claims), { errorCorrectionLevel: 'Q' }).version).toBeLessThanOrEqual(16);
    const joint = {
      ...claims,
      taskIds: [1_234_567, 1_234_568, 1_234_569],
      itemCodes: Array.from({ length: 8 }, (_, i) => `YP-SC-${String(i + 1).padStart(2, '0')}`),
      credentialNos: Array.from({ length: 6 }, (_, i) => `3101102026000${i}`),
      departments: ['market', 'health', 'fire'],
    };
    expect(QRCode.create(url(joint), { errorCorrectionLevel: 'Q' }).version).toBeLessThanOrEqual(20);
  });

  it('refuses another key, an altered byte and a truncated code', () => {
    const k = keys();
    const text = signCheckCode(claims, k.kid, k.privateKey);
    expect(signatureValid(decodeCheckCode(text), keys().publicKey)).toBe(false);
    const bytes = Buffer.from(base32nopad.decode(text.slice(4)));
    bytes[bytes.length - 70] ^= 1; // inside the payload
    const altered = 'JC1.' + base32nopad.encode(bytes);
    let valid: boolean;
    try {
      valid = signatureValid(decodeCheckCode(altered), k.publicKey);
    } catch (e) {
      valid = !(e instanceof CheckCodeFormatError);
    }
    expect(valid).toBe(false);
    expect(() => decodeCheckCode(text.slice(0, 60))).toThrow(CheckCodeFormatError);
    expect(() => decodeCheckCode('HC1:abc')).toThrow(/wrong_prefix/);
    expect(() => decodeCheckCode('JC2.abc')).toThrow(/unsupported_version/);
    expect(() => decodeCheckCode('JC1.A+B')).toThrow(/not_base32/);
    expect(decodeCheckCode(text.toLowerCase()).claims).toEqual(claims);
  });
});
