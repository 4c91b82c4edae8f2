import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freshDatabase } from './helpers.js';

const cli = path.resolve('dist/src/cli.js');

(existsSync(cli) ? describe : describe.skip)("operators' command line", () => {
  let db: { url: string; drop: () => Promise<void> };
  let dir: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      cwd: dir,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        LOG_LEVEL: 'error',
        AUDIT_KEY_FILE: path.join(dir, 'audit', 'checkpoint-key.pem'),
      },
    });

  beforeAll(async () => {
    db = await freshDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
  });
  afterAll(() => db.drop());

  it.each([
    [[]],
    [['import']],
    [['import', 'register']],
    [['import', 'records']],
    [['import', 'jinan']],
    [['score']],
    [['draw']],
    [['draw', 'list']],
    [['draw', 'export']],
    [['demo']],
    [['evaluate', 'jinan']],
    [['migrate']],
    [['user', 'create']],
    [['audit', 'verify']],
    [['audit', 'checkpoint']],
    [['evaluate', 'boston']],
    [['scorecard', 'activate']],
    [['check-codes']],
    [['check-codes', 'expire']],
  ])('%j --help describes the command', (args) => {
    const r = run(...args, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: supervision/);
  });

  it('imports, scores and draws; the same seed gives the same files', () => {
    const demo = run('demo', '--enterprises', '300');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toMatch(/demo data: 300 enterprises/);
    // issue 12: demo-inspector checked in under an inspection code
    expect(demo.stdout).toMatch(/inspection code: demo-inspector checked in under [A-Z2-7]{8}/);
    const score = run('score', '--as-of', '2026-11-30');
    expect(score.status).toBe(0);
    expect(score.stdout).toMatch(/scored 300 enterprises as of 2026-11-30/);
    expect(score.stdout).toMatch(/ D: +\d+/);
    const a = run('draw', '--seed', 's-1', '--ratio', 'A=0,B=0.1,C=0.3,D=0.8', '--out', 'a');
    const b = run('draw', '--seed', 's-1', '--ratio', 'A=0,B=0.1,C=0.3,D=0.8', '--out', 'b');
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(readFileSync(path.join(dir, 'a.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'b.csv'), 'utf8'));
    // the API's download, byte for byte: UTF-8 with a byte-order mark, the Chinese header
    expect(readFileSync(path.join(dir, 'a.csv'), 'utf8').split('\n')[0]).toBe(
      '\uFEFF序号,风险分类,分类内序号,统一社会信用代码,企业名称,街道',
    );
    const json = JSON.parse(readFileSync(path.join(dir, 'a.json'), 'utf8'));
    expect(json).toMatchObject({
      seed: 's-1',
      algorithm: 'tiered-fisher-yates-arc4/v1',
      ratios: { A: 0, B: 0.1, C: 0.3, D: 0.8 },
    });
    expect(json.targets.length).toBeGreaterThan(0);
    expect(json.targets.length).toBe(json.selected);
    expect(json.targets[0]).toMatchObject({ position: 1, tierPosition: 1 });
    expect(json.createdBy).toMatchObject({ role: 'system' });
    expect(json.createdBy.name).toMatch(/^cli:/);
  }, 120000);

  it('check-codes expire marks codes past their end expired, audited; a second run finds none', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT id FROM check_code WHERE status IN ('issued','in_use')`);
      expect(rows.length).toBeGreaterThan(0); // the demo's
      await client.query(
        `UPDATE check_code SET not_before = now() - interval '3 days', not_after = now() - interval '1 day' WHERE id = $1`,
        [rows[0].id],
      );
      const r = run('check-codes', 'expire');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^1 code\(s\) marked expired/);
      const after = await client.query(`SELECT status FROM check_code WHERE id = $1`, [rows[0].id]);
      expect(after.rows[0].status).toBe('expired');
      const audit = await client.query(
        `SELECT actor FROM audit_log WHERE action = 'check_code.expire' ORDER BY seq DESC LIMIT 1`,
      );
      expect(audit.rows[0].actor).toMatch(/^cli:/);
      expect(run('check-codes', 'expire').stdout).toMatch(/^0 code\(s\) marked expired/);
    } finally {
      await client.end();
    }
  });

  it('draw list shows the stored draws; draw export writes one again, never over a file without --force', () => {
    const list = run('draw', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^\d+ draw\(s\)/);
    const [newest] = list.stdout.split('\n')[1]!.split('\t');
    expect(list.stdout).toMatch(/\t's-1'\tA=0,B=0.1,C=0.3,D=0.8\t\d+ of \d+/);
    const exported = run('draw', 'export', newest!, '--out', 'again');
    expect(exported.status).toBe(0);
    expect(readFileSync(path.join(dir, 'again.csv'), 'utf8')).toBe(
      readFileSync(path.join(dir, 'b.csv'), 'utf8'),
    );
    const refused = run('draw', 'export', newest!, '--out', 'again');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^error: again\.csv exists \(an earlier draw's list\)/);
    expect(run('draw', 'export', newest!, '--out', 'again', '--force').status).toBe(0);
    const missing = run('draw', 'export', '999999', '--out', 'none');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: draw 999999 does not exist/);
    expect(run('draw', '--ratio', 'B=0.1').stderr).toMatch(/required option '--seed <text>' not specified/);
  }, 120000);

  it('explain says which rule decided the tier and the cut-offs; a day after today fails in one line', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const [{ uscc }] = (await c.query(`SELECT uscc FROM enterprise ORDER BY id LIMIT 1`)).rows;
    await c.end();
    const r = run('explain', uscc);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /\n {2}tier [A-D], decided by (the score|the hard rule override:\w+): 评分[\d.]+达到[A-D]类下限\d+/,
    );
    expect(r.stdout).toMatch(/\n {4}score [\d.]+ reaches [A-D]'s cut-off \d+/);
    expect(r.stdout).toMatch(/\n {2}cut-offs: A >= 90, B >= 75, C >= 55, D >= 0\n/);
    const future = run('explain', uscc, '--as-of', '2199-01-01');
    expect(future.status).toBe(1);
    expect(future.stderr).toMatch(
      /^error: asOf: 2199-01-01 is after today \(\d{4}-\d{2}-\d{2}, Asia\/Shanghai\)[^\n]*\n$/,
    );
  });

  it("never overwrites an earlier draw's files: --out refuses an existing file unless --force; the default name is new per draw", () => {
    const draw = (...extra: string[]) =>
      run('draw', '--seed', 's-2', '--ratio', 'A=0,B=0.1,C=0.3,D=0.8', ...extra);
    expect(draw('--out', 'kept').status).toBe(0);
    writeFileSync(path.join(dir, 'kept.csv'), 'the published list\n');
    const again = draw('--out', 'kept');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^error: kept\.csv exists \(an earlier draw's list\): .*--force/m);
    expect(readFileSync(path.join(dir, 'kept.csv'), 'utf8')).toBe('the published list\n');
    const forced = draw('--out', 'kept', '--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(path.join(dir, 'kept.csv'), 'utf8')).toMatch(/^\uFEFF序号,风险分类/);
    const first = draw();
    const second = draw();
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    const written = (r: { stdout: string }) => /selected \d+: (\S+)\.csv/.exec(r.stdout)![1]!;
    expect(written(first)).toMatch(/^draws\/draw-\d+$/);
    expect(written(second)).not.toBe(written(first));
    expect(existsSync(path.join(dir, `${written(first)}.csv`))).toBe(true);
    expect(existsSync(path.join(dir, `${written(second)}.json`))).toBe(true);
  }, 120000);

  it.each([
    [['draw', '--seed', 's', '--ratio', 'A=0.1'], /error: .*tier A gets no routine random checks/],
    [['draw', '--seed', 's', '--ratio', 'B=2'], /error: ratio 'B=2': share must be between 0 and 1/],
    [['score', '--as-of', '2026-02-30'], /'2026-02-30' is not a date/],
    [
      ['score', '--as-of', '2199-01-01'],
      /^error: asOf: 2199-01-01 is after today \(.*scores are stored only as of today or earlier\n$/,
    ],
    [['import', 'register', 'missing.csv'], /error: .*missing\.csv/],
  ])('%j fails with a one-line reason and a non-zero exit', (args, message) => {
    const r = run(...args);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });

  it('reports rejected rows of an import with line numbers and writes them to a file', () => {
    writeFileSync(
      path.join(dir, 'reg.csv'),
      'uscc,name\n91310115MA1FL8Q20Q,坏代码\n91310115MA1FL8Q20P,好代码\n',
    );
    const r = run('import', 'register', 'reg.csv', '--rejects', 'rej.csv');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/inserted 1, .*rejected 1/);
    expect(r.stdout).toMatch(/line 2: uscc: USCC position 18/);
    expect(readFileSync(path.join(dir, 'rej.csv'), 'utf8')).toMatch(/^line,field,reason\n2,uscc,/);
  });

  it('an import in which every row is rejected exits non-zero, saying so', () => {
    writeFileSync(
      path.join(dir, 'all-bad.csv'),
      'uscc,kind,record_date,source_department\n91310115MA1FL8Q20Q,complaint,2024-01-01,x\n91310115MA1FL8Q20P,complaint,2024-13-01,x\n',
    );
    const r = run('import', 'records', 'all-bad.csv', '--rejects', 'all-bad.rej.csv');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/rejected 2/);
    expect(r.stdout).toMatch(/every row was rejected/);
    expect(r.stderr).toMatch(/error: every one of the 2 rows of all-bad\.csv was rejected: nothing imported/);
  });

  it('a file that ends inside a row is refused as truncated: nothing stored, exit non-zero', async () => {
    const head = 'uscc,name,address\n';
    writeFileSync(
      path.join(dir, 'cut.csv'),
      head +
        '91350200776049653A,甲公司,a\n91310110MA1G8N5YX5,乙公司,b\n91310115MA1FL8Q20P,丙公司,"杨浦区国权路',
    );
    const r = run('import', 'register', 'cut.csv');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cut\.csv: ends inside a quoted field \(line 4, column address.*truncated/);
    writeFileSync(path.join(dir, 'cut2.csv'), head + '91350200776049653A,甲公司,a\n91310110MA1G8N5YX5,乙公');
    const r2 = run('import', 'register', 'cut2.csv');
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/ends inside a row \(line 3 has 2 of the header's 3 fields/);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query(
      `SELECT count(*)::int AS n FROM enterprise WHERE uscc IN ('91350200776049653A', '91310110MA1G8N5YX5')`,
    );
    await c.end();
    expect(rows[0].n).toBe(0);
  });

  it('creates the first admin (password from stdin or generated), lists users, and verifies the audit chain', () => {
    const viaStdin = spawnSync(
      process.execPath,
      [cli, 'user', 'create', '--username', 'first-admin', '--role', 'admin', '--password-stdin'],
      {
        encoding: 'utf8',
        cwd: dir,
        input: 'Operator-pass-2026\n',
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          LOG_LEVEL: 'error',
          AUDIT_KEY_FILE: path.join(dir, 'audit', 'checkpoint-key.pem'),
        },
      },
    );
    expect(viaStdin.status).toBe(0);
    expect(viaStdin.stdout).toMatch(/created user \d+: first-admin \(admin\)/);
    expect(viaStdin.stdout).not.toMatch(/password/);
    const generated = run(
      'user',
      'create',
      '--username',
      'insp-1',
      '--role',
      'inspector',
      '--department',
      'fire',
      '--credential-no',
      'FIRE-0001',
    );
    expect(generated.status).toBe(0);
    expect(generated.stdout).toMatch(/password \(shown once\): [A-Za-z0-9]{20}/);
    const missing = run('user', 'create', '--username', 'insp-2', '--role', 'inspector');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/department: required for role inspector/);
    const list = run('user', 'list');
    expect(list.stdout).toMatch(/first-admin +admin/);
    expect(list.stdout).toMatch(/insp-1 +inspector +fire FIRE-0001/);

    const ok = run('audit', 'verify');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/audit chain intact: \d+ entries/);
    const head = /head: (\d+:[0-9a-f]{64})/.exec(ok.stdout)![1]!;
    expect(run('audit', 'verify', '--expect-head', head).status).toBe(0);
    expect(run('audit', 'verify', '--expect-head', 'nonsense').stderr).toMatch(/--expect-head must be/);
  });

  it('audit checkpoint signs the head; removing entries after it is found without --expect-head', async () => {
    const signed = run('audit', 'checkpoint');
    expect(signed.status).toBe(0);
    const m = /signed checkpoint: (\d+):([0-9a-f]{64}) at /.exec(signed.stdout)!;
    expect(m).not.toBeNull();
    const seq = Number(m[1]);
    expect(statSync(path.join(dir, 'audit', 'checkpoint-key.pem')).mode & 0o777).toBe(0o600);
    const ok = run('audit', 'verify');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`1 signed checkpoint\\(s\\) hold, the newest at entry ${seq} `));
    // a superuser removes the newest entries and every checkpoint row: the file beside the key remains
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
      await c.query(
        `CREATE TABLE audit_tail AS SELECT * FROM audit_log WHERE seq >= $1`.replace('$1', String(seq - 1)),
      );
      await c.query(`DELETE FROM audit_log WHERE seq >= ${seq - 1}`);
      await c.query(`ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`);
      await c.query(`DELETE FROM audit_checkpoint`);
      const broken = run('audit', 'verify');
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(
        new RegExp(
          `BROKEN at entry ${seq - 1}: the chain ends at ${seq - 2}, before the signed checkpoint of .* at entry ${seq} \\(entries removed\\?\\)`,
        ),
      );
      await c.query(`INSERT INTO audit_log SELECT * FROM audit_tail; DROP TABLE audit_tail`);
    } finally {
      await c.query(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
      await c.query(`ALTER TABLE audit_checkpoint ENABLE TRIGGER USER`);
      await c.end();
    }
    expect(run('audit', 'verify').status).toBe(0);
  });

  it('audit verify exits 1 and names the first broken entry after a row is edited in SQL', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
      await c.query(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2`);
      await c.query(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    } finally {
      await c.end();
    }
    const r = run('audit', 'verify');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/audit chain BROKEN at entry 2: stored hash does not match its content/);
  });

  it('lists scorecard versions and switches the active one, audited, rescoring everyone', async () => {
    const list = run('scorecard', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^\* v3 /m);
    expect(list.stdout).toMatch(/^ {2}v1 /m);
    const act = run('scorecard', 'activate', 'v1');
    expect(act.status).toBe(0);
    expect(act.stdout).toMatch(/active scorecard: v3 -> v1/);
    expect(act.stdout).toMatch(/rescored \d+ enterprises as of \d{4}-\d\d-\d\d/);
    expect(run('scorecard', 'activate', 'v9').stderr).toMatch(/scorecard version v9 does not exist/);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const { rows } = await c.query(
        `SELECT action, before, after FROM audit_log WHERE action IN ('scorecard.activate', 'credit_score.rescore_all') ORDER BY seq DESC LIMIT 2`,
      );
      expect(rows.map((r) => r.action)).toEqual(['credit_score.rescore_all', 'scorecard.activate']);
      expect(rows[1]).toMatchObject({ before: { active: 'v3' }, after: { active: 'v1' } });
    } finally {
      await c.end();
    }
    expect(run('scorecard', 'activate', 'v3').status).toBe(0);
  });
});
