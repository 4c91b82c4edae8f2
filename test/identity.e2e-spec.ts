import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { mod11_10CheckDigit } from '../src/common/registration-number.js';
import { buildUscc } from '../src/common/uscc.js';
import { RecordImportService } from '../src/credit/import/record-import.service.js';
import { RegisterImportService } from '../src/enterprises/import/register-import.service.js';
import { TestApp, createTestApp, freshDatabase } from './helpers.js';

/** Identity codes the way registers hold them (issue 9): API path and body, register CSV, CLI. */

const A = '91310115MA1FL8Q20P'; // published example (Pudong)
const B = '91350200776049653A'; // published example (Xiamen)
const fullWidth = (s: string) => [...s].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
/** a valid 15-digit registration number of the division `division6` (check digit computed) */
const registrationNo = (division6: string, seq8: string) =>
  division6 + seq8 + mod11_10CheckDigit(division6 + seq8);
/** the code with its last character replaced by another symbol: fails only position 18 */
const badCheck = (code: string) => code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
/** a resident ID number (GB 11643) that passes both USCC check characters */
const RESIDENT_ID = '110101199003012209';

describe('identity codes through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = (body: Record<string, unknown>) =>
    t.admin.post('/api/enterprises').send({ name: '示例', ...body });

  it('registers a full-width code with a zero-width space and an ideographic space, normalised', async () => {
    const typed = `${fullWidth(A.slice(0, 8))}\u200b${A.slice(8).toLowerCase()}\u3000`;
    const res = await post({ uscc: typed, divisionCode: '310115' }).expect(201);
    expect(res.body).toMatchObject({ uscc: A, registrationNo: null, reviewFlags: [] });
  });

  it('finds it by a full-width, zero-width-spaced path parameter', async () => {
    const typed = encodeURIComponent(`\ufeff${fullWidth(A)}`);
    expect((await t.admin.get(`/api/enterprises/${typed}`).expect(200)).body.uscc).toBe(A);
    const spaced = encodeURIComponent(`${A.slice(0, 8)}\u200b${A.slice(8)}`);
    expect((await t.admin.get(`/api/enterprises/${spaced}/credit`).expect(200)).body).toBeDefined();
  });

  it('an enterprise user reaches its own enterprise through a full-width path (the scope check normalises alike)', async () => {
    const { agent } = await t.signIn('enterprise', { uscc: A });
    await agent.get(`/api/enterprises/${encodeURIComponent(fullWidth(A))}`).expect(200);
  });

  it.each([
    [
      A.slice(0, 16) + 'O' + A[17],
      "position 17: 'O' is not allowed",
      'did you mean 0? (the letter O is never in a USCC; with 0 the check characters pass)',
    ],
    ['9.13101E+17', 'mangled by a spreadsheet: export the column as text', 'scientific notation'],
    ['913101150000001000', 'mangled by a spreadsheet: export the column as text', '15 significant digits'],
    [`'${B}`, 'mangled by a spreadsheet: export the column as text', 'apostrophe'],
    ['310110000000015', 'legacy registration number (注册号), not a USCC', 'registrationNo'],
  ])('the path %j answers 422 naming the likely cause', async (code, cause, detail) => {
    const res = await t.admin.get(`/api/enterprises/${encodeURIComponent(code)}`).expect(422);
    expect(res.body.errors[0].field).toBe('uscc');
    expect(res.body.errors[0].reason).toContain(cause);
    expect(res.body.errors[0].reason).toContain(detail);
  });

  it('the body answers 422 with the same hints', async () => {
    const res = await post({ uscc: `9131O115MA1FL8Q20P` }).expect(422);
    expect(res.body.errors).toEqual([
      { field: 'uscc', reason: expect.stringContaining("position 5: 'O' is not allowed") },
    ]);
    expect(res.body.errors[0].reason).toContain('did you mean 0?');
  });

  it('refuses a resident ID number that passes both check characters: authority 1 (organs of state)', async () => {
    const res = await post({ uscc: RESIDENT_ID }).expect(422);
    expect(res.body.errors).toContainEqual({
      field: 'uscc',
      reason: expect.stringContaining("positions 1-2: '11' is a 机关 registered by 机构编制"),
    });
  });

  it('registers a 民办非企业单位 (52) and refuses a 事业单位 (12)', async () => {
    await post({ uscc: buildUscc('52', '310110', 'MJ000001') }).expect(201);
    const res = await post({ uscc: buildUscc('12', '310110', 'MB000001') }).expect(422);
    expect(res.body.errors[0].reason).toContain("'12' is a 事业单位");
  });

  it('refuses a USCC whose positions 3-8 are no GB/T 2260 division, accepts an abolished one', async () => {
    const res = await post({ uscc: buildUscc('91', '310199', 'MA000001') }).expect(422);
    expect(res.body.errors[0].reason).toContain("positions 3-8: '310199' is not an administrative division");
    await post({ uscc: buildUscc('91', '310108', 'MA000001') }).expect(201); // 闸北区, merged in 2015
  });

  it('stores a legacy registration number that agrees with the USCC, and refuses a bad one', async () => {
    const code = buildUscc('91', '310110', 'MA000002');
    const no = registrationNo('310110', '00012345');
    const res = await post({ uscc: code, registrationNo: ` ${fullWidth(no)}` }).expect(201);
    expect(res.body.registrationNo).toBe(no);
    expect((await t.admin.get(`/api/enterprises/${code}`).expect(200)).body.registrationNo).toBe(no);
    const wrongDigit = no.slice(0, 14) + String((Number(no[14]) + 1) % 10);
    const bad = await post({
      uscc: buildUscc('91', '310110', 'MA000003'),
      registrationNo: wrongDigit,
    }).expect(422);
    expect(bad.body.errors).toEqual([
      { field: 'registrationNo', reason: expect.stringContaining('check digit (ISO 7064 MOD 11,10)') },
    ]);
    const elsewhere = await post({
      uscc: buildUscc('91', '310110', 'MA000004'),
      registrationNo: registrationNo('370100', '20000012'),
    }).expect(422);
    expect(elsewhere.body.errors[0]).toEqual({
      field: 'registrationNo',
      reason: expect.stringContaining(
        "370100 山东省济南市 disagrees with the USCC's division (positions 3-8) 310110",
      ),
    });
  });

  it('stores a division that disagrees with the code, flagged for review', async () => {
    const code = buildUscc('91', '310110', 'MA000005');
    const res = await post({ uscc: code, divisionCode: '310115' }).expect(201);
    expect(res.body).toMatchObject({ divisionCode: '310115', reviewFlags: ['division_mismatch'] });
    const flagged = await t.admin.get('/api/enterprises?reviewFlag=division_mismatch').expect(200);
    expect(flagged.body.items.map((e: { uscc: string }) => e.uscc)).toEqual([code]);
    await t.admin.get('/api/enterprises?reviewFlag=other').expect(422);
  });

  it('refuses a code failing only its check character (the API has no option to keep it)', async () => {
    const res = await post({ uscc: badCheck(B) }).expect(422);
    expect(res.body.errors[0].reason).toContain('position 18');
  });
});

describe('identity codes in a register CSV', () => {
  let t: TestApp;
  let dir: string;
  let register: RegisterImportService;
  const file = (name: string, lines: string[]) => {
    const p = path.join(dir, name);
    writeFileSync(p, lines.join('\n') + '\n', 'utf8');
    return p;
  };
  const stored = async (uscc: string) =>
    (await t.admin.get(`/api/enterprises/${uscc}`).expect(200)).body as Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'identity-test-'));
    register = t.app.get(RegisterImportService);
  });
  afterAll(() => t.close());

  const ZW = buildUscc('91', '310110', 'QW000001');
  const OH = buildUscc('91', '310110', '0H000000'); // typed with the letter O at position 11
  const LEGACY = buildUscc('91', '310110', 'LG000001');
  const MISMATCH = buildUscc('91', '310110', 'DM000001');
  const CHECK = buildUscc('91', '310110', 'CK000001');
  const rows = [
    'uscc,name,division_code,registration_no',
    `${fullWidth(A)},全角代码公司,310115,`, // line 2
    `${ZW.slice(0, 10)}\u200b${ZW.slice(10)},零宽空格公司,310110,`, // line 3
    `${OH.slice(0, 10)}O${OH.slice(11)},字母O公司,310110,`, // line 4
    `9.13101E+17,科学计数法公司,310110,`, // line 5
    `${LEGACY},老执照公司,310110,${registrationNo('310110', '00000001')}`, // line 6
    `${registrationNo('310110', '00000002')},只有注册号公司,310110,`, // line 7
    `${buildUscc('91', '310199', 'BD000001')},错误区划公司,310110,`, // line 8
    `${MISMATCH},区划不符公司,310115,`, // line 9
    `${RESIDENT_ID},身份证号,310110,`, // line 10
    `${badCheck(CHECK)},校验位错公司,310110,`, // line 11
    `${LEGACY.slice(0, 17)}x,小写校验位,310110,`, // line 12 (a wrong check character, lower case)
  ];

  it('normalises, names the likely cause of each bad code, keeps registration numbers and flags mismatches', async () => {
    expect(OH[10]).toBe('0');
    const r = await register.importFile(file('identity.csv', rows), { rejectsFile: null });
    // the first reason of each line (a line may have several)
    const reasons: Record<number, string> = {};
    for (const x of [...r.firstRejected].reverse()) reasons[x.line] = `${x.field}: ${x.reason}`;
    expect(r.inserted).toBe(4);
    expect(Object.keys(reasons).map(Number)).toEqual([4, 5, 7, 8, 10, 11, 12]);
    expect(reasons[4]).toMatch(/^uscc: USCC position 11: 'O' is not allowed.*did you mean 0\?/);
    expect(reasons[5]).toBe(
      'uscc: USCC mangled by a spreadsheet: export the column as text (scientific notation 9.13101E+17)',
    );
    expect(reasons[7]).toMatch(/^uscc: USCC has 15 digits: that is a legacy registration number \(注册号\)/);
    expect(reasons[8]).toMatch(/^uscc: USCC positions 3-8: '310199' is not an administrative division/);
    expect(reasons[10]).toMatch(/^uscc: USCC positions 1-2: '11' is a 机关/);
    expect(reasons[11]).toMatch(/^uscc: USCC position 18: check character/);
    expect((await stored(A)).divisionCode).toBe('310115');
    expect((await stored(ZW)).reviewFlags).toEqual([]);
    expect((await stored(LEGACY)).registrationNo).toBe(registrationNo('310110', '00000001'));
    expect((await stored(MISMATCH)).reviewFlags).toEqual(['division_mismatch']);
    expect(r.warnings).toEqual({
      rows: 1,
      byReason: expect.any(Object),
      first: [
        {
          line: 9,
          field: 'division_code',
          reason: expect.stringContaining(
            "310115 上海市浦东新区 disagrees with the USCC's division (positions 3-8) 310110 上海市杨浦区",
          ),
        },
      ],
    });
  });

  it('with acceptBadCheckChar keeps the rows failing only a check character, flagged; nothing else', async () => {
    const r = await register.importFile(file('identity-accept.csv', rows), {
      rejectsFile: null,
      acceptBadCheckChar: true,
    });
    expect([...new Set(r.firstRejected.map((x) => x.line))]).toEqual([4, 5, 7, 8, 10]);
    expect(r.inserted).toBe(2);
    const kept = await stored(badCheck(CHECK));
    expect(kept.reviewFlags).toEqual(['uscc_check_char_failed']);
    expect((await stored(`${LEGACY.slice(0, 17)}X`)).reviewFlags).toEqual(['uscc_check_char_failed']);
    expect(r.warnings!.first.map((w) => [w.line, w.field])).toEqual([
      [9, 'division_code'],
      [11, 'uscc'],
      [12, 'uscc'],
    ]);
  });

  it('a code kept for review is reached under its code as stored: API path and records import', async () => {
    const kept = badCheck(CHECK);
    expect((await t.admin.get(`/api/enterprises/${kept.toLowerCase()}`).expect(200)).body.uscc).toBe(kept);
    const other = badCheck(buildUscc('91', '310110', 'CK000002'));
    const res = await t.admin.get(`/api/enterprises/${other}`).expect(422);
    expect(res.body.errors[0].reason).toContain('position 18');
    const records = await t.app
      .get(RecordImportService)
      .importFile(
        file('records.csv', [
          'uscc,kind,record_date,source_department,channel',
          `${kept},complaint,2026-06-01,12315,12315`,
          `${other},complaint,2026-06-01,12315,12315`,
        ]),
        { rejectsFile: null },
      );
    expect(records.inserted).toBe(1);
    const listed = await t.admin.get(`/api/enterprises/${kept}/credit-records`).expect(200);
    expect(listed.body).toHaveLength(1); // an array, the total in X-Total-Count
    expect(records.firstRejected).toEqual([
      {
        line: 3,
        field: 'uscc',
        reason: expect.stringMatching(
          /^enterprise \S+ is not in the register \(USCC position 18: check character/,
        ),
      },
    ]);
  });

  it('a re-import with a corrected division clears the division flag; the direct COPY path stores flags too', async () => {
    const fixed = await register.importFile(
      file('fixed.csv', ['uscc,name,division_code', `${MISMATCH},区划不符公司,310110`]),
      {
        rejectsFile: null,
      },
    );
    expect(fixed.updated).toBe(1);
    expect((await stored(MISMATCH)).reviewFlags).toEqual([]);
    const fresh = buildUscc('91', '310110', 'DC000001');
    const direct = await register.importFile(
      file('direct.csv', [
        'uscc,name,division_code,registration_no',
        `${fresh},直接导入公司,310101,${registrationNo('310110', '00000009')}`,
      ]),
      { rejectsFile: null, directCopyMinBytes: 0 },
    );
    expect(direct.inserted).toBe(1);
    expect(await stored(fresh)).toMatchObject({
      reviewFlags: ['division_mismatch'],
      registrationNo: registrationNo('310110', '00000009'),
    });
  });
});

const cli = path.resolve('dist/src/cli.js');

(existsSync(cli) ? describe : describe.skip)('import register --accept-bad-check-char (CLI)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let dir: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'error' },
    });
  beforeAll(async () => {
    db = await freshDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'identity-cli-'));
  });
  afterAll(() => db.drop());

  it('rejects a check-character failure by default and keeps it flagged with the option', async () => {
    const code = badCheck(buildUscc('91', '310110', 'CL000001'));
    writeFileSync(path.join(dir, 'r.csv'), `uscc,name\n${code},校验位错公司\n`);
    const before = run('import', 'register', 'r.csv');
    expect(before.stdout).toMatch(/inserted 0, .*rejected 1/);
    expect(before.stdout).toContain('line 2: uscc: USCC position 18');
    const after = run('import', 'register', 'r.csv', '--accept-bad-check-char');
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/inserted 1, .*rejected 0/);
    expect(after.stdout).toContain('kept for review 1');
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT uscc_check_char_failed FROM enterprise WHERE uscc = $1`, [code]);
      expect(rows).toEqual([{ uscc_check_char_failed: true }]);
    } finally {
      await c.end();
    }
    // the kept code names its enterprise in the CLI as in the API; another bad code still fails
    const explained = run('explain', code.toLowerCase());
    expect(explained.status).toBe(0);
    expect(explained.stdout).toContain(`${code} as of`);
    const other = run('explain', badCheck(buildUscc('91', '310110', 'CL000002')));
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/^error: USCC position 18/);
  });
});
