import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommanderError } from 'commander';
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cliActor } from '../audit/actor.js';
import { withAppContext } from '../bootstrap.js';
import { commandGroup, out } from '../cli-kit.js';
import { KidParam, RevokeKeyDto, RotateKeyDto } from './keys/dto/keys.dto.js';
import { KeyRecord, KeysService } from './keys/keys.service.js';
import { TrustListService } from './keys/trust-list.service.js';
import type { CheckCodeClaims } from './rules/check-code-format.js';
import { OfflineVerdict, offlineVerdict, UnusableTrustList } from './rules/offline-verdict.js';

/** Exit status of verify-code: valid, not valid, and a command that could not judge (usage, trust list). */
/**
 * Exit statuses of verify-code: 3 when the code checks against a trust list whose own signature
 * was not checked (no --trust-key): anyone can write such a list, so it proves nothing on its own.
 */
export const VERIFY_EXIT = { valid: 0, notValid: 1, usage: 2, unverifiedTrustList: 3 } as const;

/** The well-known path of the trust list (trust-list.controller.ts). */
const TRUST_LIST_PATH = '/.well-known/check-code-trust-list.json';

/** Runs class-validator on a DTO as the API would. @throws Error `field: reason` for each problem */
async function checked<T extends object>(cls: new () => T, value: object): Promise<T> {
  const dto = plainToInstance(cls, value);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length)
    throw new Error(
      errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`).join(' | '),
    );
  return dto;
}

/** An instant in Shanghai time: `2026-12-01 09:30:00 (UTC+8)`. */
export function shanghaiTime(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')} (UTC+8)`;
}
const maybeTime = (v: string | null) => (v === null ? '-' : shanghaiTime(Date.parse(v)));

const STATUS_ZH: Record<string, string> = { active: '使用中', retired: '已停用', revoked: '已吊销' };

function printKey(k: KeyRecord): void {
  out(
    `${k.kid}  ${k.status} ${STATUS_ZH[k.status] ?? ''}  ${k.algName} (${k.alg})  codes ${k.codes} (live ${k.liveCodes})`,
  );
  out(
    `  valid from ${maybeTime(k.validFrom)}, signs until ${maybeTime(k.signsUntil)}, verifies until ${maybeTime(k.verifiesUntil)}`,
  );
  if (k.retireReason) out(`  retired: ${k.retireReason}`);
  if (k.revokedAt) out(`  revoked ${maybeTime(k.revokedAt)}: ${k.revokeReason ?? ''}`);
}

/** `JC-K7Q9-M2XD`: a code number as the pages show it. */
const codeNoText = (n: string) => `JC-${n.slice(0, 4)}-${n.slice(4)}`;

function printVerdict(v: OfflineVerdict, source: string): void {
  const listChecked = v.trustList.signature === 'verified';
  out(
    !v.valid
      ? '无效 / NOT VALID'
      : listChecked
        ? '有效 / VALID'
        : '未能确认 / UNCONFIRMED: 签名与所给信任列表相符，但信任列表本身未经核实（未提供 --trust-key），不能据此确认为本局签发 / the signature matches the given trust list, whose own signature was not checked (no --trust-key)',
  );
  if (!v.valid) {
    out(`原因 reason: ${v.reasonText!.zh} / ${v.reasonText!.en} (${v.reason})`);
    out(`详情 detail: ${v.detail}`);
  }
  out(`核验时间 checked at: ${shanghaiTime(Date.parse(v.at))}`);
  const c: CheckCodeClaims | null = v.claims;
  if (c) {
    out(
      v.claimsVerified
        ? '检查码内容 claims (signed by the bureau):'
        : '检查码声称 claims (签名未通过，内容不可信 / NOT signed by the bureau: do not trust them):',
    );
    out(`  检查码编号 code no: ${codeNoText(c.codeNo)}   签发机关 issuer: ${c.issuer}   密钥 key: ${v.kid}`);
    out(`  企业 USCC: ${c.uscc}`);
    out(`  检查任务 task ids: ${c.taskIds.join(', ')}`);
    out(
      c.planNo
        ? `  计划检查 plan no: ${c.planNo}`
        : `  事件触发 trigger ids: ${c.triggerIds.join(', ') || '-'}`,
    );
    out(`  检查事项 items: ${c.itemCodes.join(', ') || '-'}`);
    out(`  执法证号 credential nos: ${c.credentialNos.join(', ') || '-'}`);
    out(`  部门 departments: ${c.departments.join(', ') || '-'}`);
    out(
      `  有效期 window: ${shanghaiTime(c.notBefore * 1000)} .. ${shanghaiTime(c.notAfter * 1000)}, issued ${shanghaiTime(c.issuedAt * 1000)}`,
    );
  }
  const sig =
    v.trustList.signature === 'verified'
      ? `signature verified (key ${v.trustList.signedBy})`
      : v.trustList.signature === 'not_checked'
        ? `signature NOT checked (no --trust-key; signed by ${v.trustList.signedBy})`
        : 'unsigned';
  out(
    `信任列表 trust list: ${source}, issuer ${v.trustList.issuer}, generated ${maybeTime(v.trustList.generatedAt)}, ${v.trustList.keys} key(s), ${sig}`,
  );
  out(
    '离线核验：未查询检查码的当前状态（是否已吊销、已完成）；联网核验请扫码打开核验页 / offline: the code’s stored state (revoked, completed) is not known here',
  );
}

/** Reads a file, or fetches an http(s) URL (the only network use of verify-code). */
async function readSource(source: string, what: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, {
        signal: AbortSignal.timeout(10_000),
        headers: { Accept: 'application/json' },
      });
    } catch (e) {
      throw new UnusableTrustList(
        `cannot fetch ${what} ${source} (${(e as Error).message}): give a saved copy with --trust-list <file>`,
      );
    }
    if (!res.ok) throw new UnusableTrustList(`${what} ${source} answered ${res.status}`);
    return res.text();
  }
  try {
    return readFileSync(source, 'utf8');
  } catch (e) {
    throw new UnusableTrustList(
      `cannot read ${what} ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** The pinned key: an SPKI PEM file, or the JSON of GET /api/audit/checkpoint-key (its publicKey). */
function pinnedKeyOf(text: string, source: string): KeyObject {
  let pem = text;
  if (text.trim().startsWith('{')) {
    try {
      pem = String((JSON.parse(text) as { publicKey?: unknown }).publicKey ?? '');
    } catch {
      throw new UnusableTrustList(`--trust-key ${source}: not JSON`);
    }
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new UnusableTrustList(
      `--trust-key ${source}: not a PEM public key (or the JSON of /api/audit/checkpoint-key)`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UnusableTrustList(`--trust-key ${source}: not an Ed25519 key`);
  return key;
}

/** The instant of --at: ISO 8601 with its offset or Z. */
function instantOf(v: string): number {
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(ms))
    throw new UnusableTrustList(
      `--at '${v}' is not an ISO 8601 time with its offset (e.g. 2026-12-01T10:00:00+08:00)`,
    );
  return ms;
}

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `verify-code <payload-or-url>`: judges a code offline (rules/offline-verdict.ts). Never starts
 * the service or a database; the network only to fetch a trust list named by URL (or, without
 * --trust-list, from the origin of a verification URL, and then only with --trust-key: a list from
 * the code's own address, unpinned, would vouch for whoever printed the code). Exit 0 valid, 1 not
 * valid, 2 usage error or an unusable trust list.
 */
async function verifyCode(
  payload: string,
  o: { trustList?: string; trustKey?: string; at?: string; json: boolean },
): Promise<number> {
  try {
    const text = payload === '-' ? (await stdinText()).trim() : payload;
    const atMs = o.at === undefined ? Date.now() : instantOf(o.at);
    let source = o.trustList;
    if (source === undefined) {
      const url = /^https?:\/\/[^/\s]+/i.exec(text.trim());
      if (!url)
        throw new UnusableTrustList(
          'a bare code names no service: give --trust-list <file or URL> (a copy of /.well-known/check-code-trust-list.json)',
        );
      // a forger's QR code names the forger's site, whose list names the forger's key: a list from
      // the code's own address is evidence only when its signature verifies with a pinned key
      if (!o.trustKey)
        throw new UnusableTrustList(
          `a trust list from the code's own address (${url[0]}) proves nothing about the code: pin the bureau's key with --trust-key <file> (GET /api/audit/checkpoint-key, fetched once from the bureau's own site), or give a saved copy with --trust-list <file>`,
        );
      source = url[0] + TRUST_LIST_PATH;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(await readSource(source, 'the trust list'));
    } catch (e) {
      if (e instanceof UnusableTrustList) throw e;
      throw new UnusableTrustList(`the trust list ${source} is not JSON`);
    }
    const pinned = o.trustKey
      ? pinnedKeyOf(await readSource(o.trustKey, 'the trust key'), o.trustKey)
      : undefined;
    const v = offlineVerdict(text, doc, atMs, pinned);
    if (o.json) out(JSON.stringify({ ...v, offline: true, trustList: { source, ...v.trustList } }, null, 2));
    else printVerdict(v, source);
    if (!v.valid) return VERIFY_EXIT.notValid;
    return v.trustList.signature === 'verified' ? VERIFY_EXIT.valid : VERIFY_EXIT.unverifiedTrustList;
  } catch (e) {
    if (!(e instanceof UnusableTrustList)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    return VERIFY_EXIT.usage;
  }
}

/**
 * `check-codes keys list|rotate|revoke`, `check-codes trust-list` and `verify-code`: the
 * inspection codes' signing keys, their trust list and the offline verifier
 * (docs/check-code-format.md). Key changes run as the CLI operator (`cli:<os user>`), through
 * KeysService like the API, audited.
 */
export function registerCheckCodeKeyCommands(program: Command): void {
  const group = commandGroup(
    program,
    'check-codes',
    'inspection codes (检查码): signing keys, trust list and the codes themselves',
  );
  const keys = group
    .command('keys')
    .description('the signing keys of inspection codes (检查码签名密钥): list, rotate, revoke');
  keys
    .command('list')
    .description('every key, newest first: status, validity, reasons, codes signed')
    .option('--json', 'print JSON', false)
    .action((o: { json: boolean }) =>
      withAppContext(
        async (app) => {
          const all = await app.get(KeysService).list();
          if (o.json) return out(JSON.stringify(all, null, 2));
          out(`${all.length} signing key(s)`);
          all.forEach(printKey);
        },
        { quiet: true },
      ),
    );
  keys
    .command('rotate')
    .description('make a new active key; the old one is retired (its codes stay verifiable to their end)')
    .option('--reason <text>', 'why (audited, shown in the list)')
    .action((o: { reason?: string }) =>
      withAppContext(
        async (app) => {
          const dto = await checked(RotateKeyDto, o.reason === undefined ? {} : { reason: o.reason });
          const r = await app.get(KeysService).rotate(cliActor(), dto.reason ?? null);
          if (r.retired) {
            out(`retired ${r.retired.kid}:`);
            printKey(r.retired);
          }
          out(`active ${r.active.kid}:`);
          printKey(r.active);
        },
        { quiet: true },
      ),
    );
  keys
    .command('revoke <kid>')
    .description(
      'revoke a compromised key: none of its codes is valid from now on; a new key if it was active',
    )
    .requiredOption('--reason <text>', 'why (audited, shown in the list and on its revoked codes)')
    .action((kid: string, o: { reason: string }) =>
      withAppContext(
        async (app) => {
          await checked(KidParam, { kid });
          const dto = await checked(RevokeKeyDto, { reason: o.reason });
          const r = await app.get(KeysService).revoke(kid, dto.reason, cliActor());
          out(`revoked ${r.revoked.kid} (${r.codesRevoked} issued or in-use code(s) revoked with it):`);
          printKey(r.revoked);
          if (r.active) {
            out(`active ${r.active.kid}:`);
            printKey(r.active);
          }
        },
        { quiet: true },
      ),
    );

  group
    .command('trust-list')
    .description(
      'write the current trust list (JC-TL/1, signed with the audit checkpoint key) for offline verifiers',
    )
    .option('--out <file>', 'write it to this file (default: standard output)')
    .action((o: { out?: string }) =>
      withAppContext(
        async (app) => {
          const { list } = await app.get(TrustListService).current();
          const text = JSON.stringify(list, null, 2) + '\n';
          if (!o.out) return void process.stdout.write(text);
          writeFileSync(o.out, text);
          out(`trust list written to ${o.out}: ${list.keys.length} key(s), generated ${list.generatedAt}`);
        },
        { quiet: true },
      ),
    );

  program
    .command('verify-code <payload>')
    .description(
      'verify an inspection code offline: its text (JC1....), its verification URL, or - for standard input; no database, no network with --trust-list <file>. Exit 0 valid, 1 not valid, 2 usage error or unusable trust list',
    )
    .option(
      '--trust-list <file-or-url>',
      `the trust list (a saved copy of ${TRUST_LIST_PATH}, or its URL; default: that path at the verification URL's origin)`,
    )
    .option(
      '--trust-key <file-or-url>',
      'the pinned key of the trust list: PEM, or the JSON of /api/audit/checkpoint-key; then an unsigned or differently signed list is refused',
    )
    .option('--at <time>', 'judge at this instant, ISO 8601 with offset (default: now)')
    .option('--json', 'print the verdict as JSON', false)
    .exitOverride((e: CommanderError) => {
      // help and version are no errors; any other usage error exits 2 (0 and 1 are verdicts)
      process.exit(e.exitCode === 0 ? 0 : VERIFY_EXIT.usage);
    })
    .action(
      async (payload: string, o: { trustList?: string; trustKey?: string; at?: string; json: boolean }) => {
        process.exitCode = await verifyCode(payload, o);
      },
    );
}
