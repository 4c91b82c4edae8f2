import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, inspection codes (检查码, domain.md 5.4): signing keys with their validity (the trust
 * list), codes issued for a visit (one code covers every task of a joint visit), check-in and
 * check-out, and the enterprise's anonymous rating. Format: src/check-codes/rules/check-code-format.ts
 * and docs/check-code-format.md.
 */
export class CheckCodes1765670400000 implements MigrationInterface {
  name = 'CheckCodes1765670400000';

  async up(q: QueryRunner): Promise<void> {
    // signing keys: public part published in the trust list; the private part sealed (AES-256-GCM
    // under CHECK_CODE_KEY_SECRET), dropped (NULL) once the key is retired
    await q.query(`
      CREATE TABLE check_code_key (
        kid             text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9_-]{11}$'),
        alg             integer NOT NULL CHECK (alg IN (-8, -65600)),
        public_key      bytea NOT NULL,
        private_key     bytea,
        status          text NOT NULL CHECK (status IN ('active','retired','revoked')),
        valid_from      timestamptz NOT NULL DEFAULT now(),
        -- retired: signs no code after this; its codes verify until verifies_until
        signs_until     timestamptz,
        verifies_until  timestamptz,
        revoked_at      timestamptz,
        revoke_reason   text,
        created_by      bigint REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT check_code_key_active_signs CHECK (status <> 'active' OR (private_key IS NOT NULL AND signs_until IS NULL)),
        CONSTRAINT check_code_key_revoked CHECK ((status = 'revoked') = (revoked_at IS NOT NULL AND revoke_reason IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX check_code_key_one_active ON check_code_key (status) WHERE status = 'active'`,
    );

    await q.query(`
      CREATE TABLE check_code (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code_no         text NOT NULL UNIQUE CHECK (code_no ~ '^[A-Z2-7]{8}$'),
        visit_id        bigint NOT NULL REFERENCES joint_visit(id),
        enterprise_id   bigint NOT NULL REFERENCES enterprise(id),
        kid             text NOT NULL REFERENCES check_code_key(kid),
        -- the signed text form (JC1....), what the QR code carries after <base>/v/
        code_text       text NOT NULL UNIQUE,
        -- what the verify page shows, frozen at issue: plan number or triggers' reasons, items with
        -- legal basis and requirements, departments, inspectors (name, credential number)
        particulars     jsonb NOT NULL,
        issued_at       timestamptz NOT NULL,
        not_before      timestamptz NOT NULL,
        not_after       timestamptz NOT NULL,
        status          text NOT NULL DEFAULT 'issued'
                        CHECK (status IN ('issued','in_use','completed','expired','revoked')),
        issued_by       bigint NOT NULL REFERENCES app_user(id),
        checked_in_at   timestamptz,
        checked_out_at  timestamptz,
        completed_at    timestamptz,
        revoked_at      timestamptz,
        revoked_by      bigint REFERENCES app_user(id),
        revoke_reason   text,
        CONSTRAINT check_code_window CHECK (not_before < not_after),
        CONSTRAINT check_code_revoked CHECK ((status = 'revoked') = (revoked_at IS NOT NULL AND revoke_reason IS NOT NULL)),
        CONSTRAINT check_code_in_use CHECK (status NOT IN ('in_use','completed') OR checked_in_at IS NOT NULL),
        CONSTRAINT check_code_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL))
      )`);
    // one live code per visit
    await q.query(
      `CREATE UNIQUE INDEX check_code_live_visit ON check_code (visit_id) WHERE status IN ('issued','in_use')`,
    );
    await q.query(`CREATE INDEX check_code_enterprise_idx ON check_code (enterprise_id, issued_at)`);
    await q.query(`CREATE INDEX check_code_status_idx ON check_code (status, not_after)`);

    // the tasks a code covers (every task of the visit when issued)
    await q.query(`
      CREATE TABLE check_code_task (
        code_id   bigint NOT NULL REFERENCES check_code(id),
        task_id   bigint NOT NULL REFERENCES inspection_task(id),
        PRIMARY KEY (code_id, task_id)
      )`);
    await q.query(`CREATE INDEX check_code_task_task_idx ON check_code_task (task_id)`);

    // check-in / check-out by each inspector, append-only
    await q.query(`
      CREATE TABLE check_code_event (
        id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code_id   bigint NOT NULL REFERENCES check_code(id),
        kind      text NOT NULL CHECK (kind IN ('check_in','check_out')),
        user_id   bigint NOT NULL REFERENCES app_user(id),
        at        timestamptz NOT NULL DEFAULT now(),
        UNIQUE (code_id, kind, user_id)
      )`);

    // the enterprise's rating, once per code; no rater is stored (anonymous by construction): the
    // inspected departments see aggregates of at least ratingMinGroup ratings released after
    // ratingDelayDays, the supervising body sees them whole
    await q.query(`
      CREATE TABLE check_code_rating (
        code_id     bigint PRIMARY KEY REFERENCES check_code(id),
        score       smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
        necessary   boolean NOT NULL,
        mergeable   boolean NOT NULL,
        comment     text,
        rated_on    date NOT NULL,
        released_on date NOT NULL,
        CONSTRAINT check_code_rating_release CHECK (released_on >= rated_on)
      )`);
    await q.query(`CREATE INDEX check_code_rating_released_idx ON check_code_rating (released_on)`);

    await q.query(`
      CREATE FUNCTION check_code_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const t of ['check_code_event', 'check_code_rating'])
      await q.query(`
        CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t}
        FOR EACH ROW EXECUTE FUNCTION check_code_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE check_code_rating, check_code_event, check_code_task, check_code, check_code_key`,
    );
    await q.query(`DROP FUNCTION check_code_append_only()`);
  }
}
