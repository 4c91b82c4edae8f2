import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeCheckCode } from './check-code-format.js';
import {
  ed25519FromSeed,
  LIST_SEED,
  vectorCases,
  vectorCodes,
  VECTOR_CLAIMS,
  vectorKey,
  vectorsMarkdown,
  vectorTrustList,
  VECTORS_BEGIN,
  VECTORS_END,
} from './check-code-vectors.js';
import { offlineVerdict } from './offline-verdict.js';

const DOC = new URL('../../../docs/check-code-format.md', import.meta.url);
const SCRIPT = new URL('../../../scripts/verify-check-code.py', import.meta.url);

/** The hex block of the doc's section that follows `label` (up to the next blank line). */
function hexAfter(md: string, label: string): string {
  const at = md.indexOf(label);
  expect(at).toBeGreaterThan(0);
  const rest = md.slice(at + label.length).replace(/^[^\n]*\n/, '');
  return rest.split('\n\n')[0]!.split('\n```')[0]!.replace(/\s+/g, '');
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
const hasOpenssl = has('openssl', ['version']);
const hasPython = has('python3', ['-c', 'import cryptography']);

describe('docs/check-code-format.md test vectors', () => {
  it('holds exactly the generated vectors (scripts/check-code-vectors.mjs)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(VECTORS_BEGIN);
    const b = doc.indexOf(VECTORS_END);
    expect(a).toBeGreaterThan(0);
    expect(doc.slice(a, b + VECTORS_END.length)).toBe(vectorsMarkdown());
  });

  it('uses the RFC 8032 7.1 TEST 1 key: its public key and its signature of the empty message', () => {
    const k = vectorKey();
    expect(k.raw.toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(sign(null, Buffer.alloc(0), k.privateKey).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('decodes to its claims, and signing is deterministic (the same text every time)', () => {
    const { planned } = vectorCodes();
    expect(decodeCheckCode(planned).claims).toEqual(VECTOR_CLAIMS);
    expect(vectorCodes().planned).toBe(planned);
  });

  it('the Sig_structure is the hand-assembled CBOR of the doc’s protected header and payload', () => {
    const md = vectorsMarkdown();
    const protectedHex = hexAfter(md, "protected header, CBOR map {1: -8, 4: h'<kid>'}:");
    const payloadHex = hexAfter(md, 'payload, the CBOR claims map:');
    const payloadLen = payloadHex.length / 2;
    expect(payloadLen).toBeGreaterThan(23);
    expect(payloadLen).toBeLessThan(256);
    // array(4), text(10) "Signature1", bstr(13) protected, bstr(0), bstr(1-byte length) payload
    const byHand =
      '84' +
      '6a' +
      Buffer.from('Signature1').toString('hex') +
      (0x40 + protectedHex.length / 2).toString(16) +
      protectedHex +
      '40' +
      '58' +
      payloadLen.toString(16).padStart(2, '0') +
      payloadHex;
    expect(hexAfter(md, 'the bytes signed:')).toBe(byHand);
    const signatureHex = hexAfter(md, 'signature, Ed25519 (64 bytes):');
    expect(
      verify(
        null,
        Buffer.from(byHand, 'hex'),
        createPublicKey(vectorKey().privateKey),
        Buffer.from(signatureHex, 'hex'),
      ),
    ).toBe(true);
  });

  (hasOpenssl ? it : it.skip)(
    'OpenSSL verifies the doc’s signature over the doc’s Sig_structure (another Ed25519)',
    () => {
      const md = vectorsMarkdown();
      const dir = mkdtempSync(path.join(tmpdir(), 'jc-vectors-'));
      try {
        writeFileSync(
          path.join(dir, 'pub.pem'),
          createPublicKey(vectorKey().privateKey).export({ type: 'spki', format: 'pem' }),
        );
        writeFileSync(path.join(dir, 'data'), Buffer.from(hexAfter(md, 'the bytes signed:'), 'hex'));
        const sig = Buffer.from(hexAfter(md, 'signature, Ed25519 (64 bytes):'), 'hex');
        writeFileSync(path.join(dir, 'sig'), sig);
        const args = [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'pub.pem',
          '-rawin',
          '-in',
          'data',
          '-sigfile',
          'sig',
        ];
        const good = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
        expect(good.status).toBe(0);
        expect(good.stdout).toMatch(/Signature Verified Successfully/);
        sig[5] ^= 1;
        writeFileSync(path.join(dir, 'sig'), sig);
        expect(spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' }).status).not.toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('the vectors’ verdicts', () => {
  const listKey = createPublicKey(ed25519FromSeed(LIST_SEED));
  it.each(vectorCases().map((c, i) => [i + 1, c.name, c] as const))('%i. %s', (_i, _n, c) => {
    const v = offlineVerdict(
      c.code,
      JSON.parse(JSON.stringify(vectorTrustList(c.keys))),
      Date.parse(c.at),
      listKey,
    );
    expect(v.reason).toBe(c.expect);
    expect(v.valid).toBe(c.expect === null);
    expect(v.trustList.signature).toBe('verified');
  });

  (hasPython ? it : it.skip)(
    'the independent Python verifier (scripts/verify-check-code.py) gives the same verdict for every case',
    () => {
      const cases = vectorCases();
      const input = JSON.stringify(
        cases.map((c) => ({ code: c.code, trustList: vectorTrustList(c.keys), at: c.at })),
      );
      const r = spawnSync('python3', [SCRIPT.pathname, '--batch'], { input, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const got = JSON.parse(r.stdout) as { valid: boolean; reason: string | null }[];
      expect(got.map((g) => g.reason)).toEqual(cases.map((c) => c.expect));
    },
  );

  (hasPython ? it : it.skip)(
    'the Python verifier checks the trust list’s signature with the pinned key',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'jc-py-'));
      try {
        const list = vectorTrustList();
        writeFileSync(path.join(dir, 'list.json'), JSON.stringify(list));
        writeFileSync(path.join(dir, 'key.pem'), listKey.export({ type: 'spki', format: 'pem' }));
        const run = () =>
          spawnSync(
            'python3',
            [
              SCRIPT.pathname,
              '--trust-list',
              'list.json',
              '--list-key',
              'key.pem',
              '--at',
              '2027-04-08T02:00:00Z',
              vectorCodes().planned,
            ],
            { cwd: dir, encoding: 'utf8' },
          );
        const ok = run();
        expect([ok.status, JSON.parse(ok.stdout)]).toEqual([0, { valid: true, reason: null }]);
        // a forged list: the forger's key added, the signature kept
        writeFileSync(path.join(dir, 'list.json'), JSON.stringify({ ...list, issuer: '310115' }));
        const forged = run();
        expect(forged.status).toBe(2);
        expect(forged.stderr).toMatch(/not signed by the pinned key/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
