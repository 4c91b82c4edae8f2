import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation schema: the enterprise register (市场主体名录), credit records (信用记录), versioned
 * scorecards, current credit scores with their runs, and recorded random draws (双随机抽取).
 * Legal dates are `date`; instants are `timestamptz`; money is `bigint` fen.
 */
export class Foundation1764460800000 implements MigrationInterface {
  name = 'Foundation1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE enterprise (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        uscc            char(18) NOT NULL,
        uscc_derived    boolean NOT NULL DEFAULT false,
        name            text NOT NULL CHECK (length(btrim(name)) > 0),
        entity_type     text NOT NULL DEFAULT 'company'
                        CHECK (entity_type IN ('company','sole_trader','cooperative','branch','partnership','other')),
        industry_code   text CHECK (industry_code ~ '^[A-T]([0-9]{2,4})?$'),
        division_code   char(6) CHECK (division_code ~ '^[0-9]{6}$'),
        street          text,
        address         text,
        established_on  date,
        status          text NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active','suspended','moved_out','deregistered','revoked')),
        prepaid_issuer  boolean NOT NULL DEFAULT false,
        source_system   text,
        source_key      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT enterprise_uscc_key UNIQUE (uscc),
        CONSTRAINT enterprise_source_key UNIQUE (source_system, source_key),
        CONSTRAINT enterprise_uscc_upper CHECK (uscc = upper(uscc))
      )`);
    await q.query(`CREATE INDEX enterprise_division_idx ON enterprise (division_code)`);
    await q.query(`CREATE INDEX enterprise_industry_idx ON enterprise (industry_code)`);

    await q.query(`
      CREATE TABLE credit_record (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id     bigint NOT NULL,
        kind              text NOT NULL CHECK (kind IN ('administrative_penalty','listing','complaint','referral',
                            'inspection_result','judgment_defaulter','unpaid_tax','product_spot_check',
                            'judicial_case','commendation')),
        record_date       date NOT NULL,
        date_estimated    boolean NOT NULL DEFAULT false,
        source_department text NOT NULL,
        polarity          text NOT NULL CHECK (polarity IN ('negative','positive','neutral')),
        valid_until       date,
        decision_no       text,
        procedure         text CHECK (procedure IN ('summary','general')),
        penalty_types     text[],
        penalty_severity  text CHECK (penalty_severity IN ('light','general','severe')),
        fine_fen          bigint CHECK (fine_fen >= 0),
        list_type         text CHECK (list_type IN ('anomaly','serious')),
        listing_reason    text,
        listed_on         date,
        removed_on        date,
        channel           text,
        subject           text,
        outcome           text,
        amount_fen        bigint CHECK (amount_fen >= 0),
        details           jsonb,
        source_system     text NOT NULL,
        source_key        text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT credit_record_source_key UNIQUE (source_system, source_key),
        CONSTRAINT credit_record_valid_after_date CHECK (valid_until IS NULL OR valid_until >= record_date),
        CONSTRAINT credit_record_penalty_fields CHECK (kind <> 'administrative_penalty' OR
          (decision_no IS NOT NULL AND procedure IS NOT NULL AND penalty_types IS NOT NULL
           AND cardinality(penalty_types) > 0 AND penalty_severity IS NOT NULL)),
        CONSTRAINT credit_record_listing_fields CHECK (kind <> 'listing' OR
          (list_type IS NOT NULL AND listed_on IS NOT NULL AND (removed_on IS NULL OR removed_on >= listed_on))),
        CONSTRAINT credit_record_inspection_outcome CHECK (kind <> 'inspection_result' OR
          outcome IN ('no_problem','problems_found','refused')),
        CONSTRAINT credit_record_spot_check_outcome CHECK (kind <> 'product_spot_check' OR
          outcome IN ('passed','failed'))
      )`);
    await q.query(`CREATE INDEX credit_record_enterprise_idx ON credit_record (enterprise_id, record_date)`);
    // credit_record.enterprise_id has no foreign key: its per-row check (a row lock on the
    // enterprise) doubled bulk loads, and dropping it for a load locked the register for readers.
    // Every writer resolves the id from enterprise in the same transaction, ids are identity
    // columns that cannot be updated, and enterprises are never deleted (deregistration is a
    // status), which this trigger enforces, so every record's enterprise exists.
    await q.query(`
      CREATE FUNCTION enterprise_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'enterprises are never deleted: set status to deregistered or revoked (credit records refer to them)'
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER enterprise_no_delete BEFORE DELETE ON enterprise FOR EACH ROW EXECUTE FUNCTION enterprise_never_deleted()`,
    );
    await q.query(
      `CREATE TRIGGER enterprise_no_truncate BEFORE TRUNCATE ON enterprise FOR EACH STATEMENT EXECUTE FUNCTION enterprise_never_deleted()`,
    );

    await q.query(`
      CREATE TABLE scorecard_version (
        version      text PRIMARY KEY,
        description  text NOT NULL,
        config       jsonb NOT NULL,
        is_active    boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX scorecard_version_one_active ON scorecard_version (is_active) WHERE is_active`,
    );

    await q.query(`
      CREATE TABLE scoring_run (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        model_version  text NOT NULL REFERENCES scorecard_version(version),
        as_of          date NOT NULL,
        scope          text NOT NULL CHECK (scope IN ('all','enterprise')),
        started_at     timestamptz NOT NULL DEFAULT now(),
        finished_at    timestamptz,
        enterprises    integer,
        tier_counts    jsonb
      )`);

    await q.query(`
      CREATE TABLE credit_score (
        enterprise_id  bigint PRIMARY KEY,
        score          numeric(6,2) NOT NULL,
        tier           text NOT NULL,
        model_version  text NOT NULL,
        as_of          date NOT NULL,
        computed_at    timestamptz NOT NULL,
        run_id         bigint NOT NULL,
        reasons        jsonb NOT NULL
      )`);
    // credit_score is a derived judgement, rewritten whole by every full rescoring (1M rows): its
    // rows are produced from enterprise, scoring_run and scorecard_version in the same statement,
    // so per-row foreign-key checks (a third of the rewrite time) are left out.
    await q.query(`CREATE INDEX credit_score_tier_idx ON credit_score (tier)`);

    await q.query(`
      CREATE TABLE random_draw (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seed              text NOT NULL,
        ratios            jsonb NOT NULL,
        algorithm         text NOT NULL,
        candidates        integer NOT NULL,
        candidates_digest text NOT NULL,
        selected          integer NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE random_draw_item (
        draw_id        bigint NOT NULL REFERENCES random_draw(id) ON DELETE CASCADE,
        position       integer NOT NULL,
        enterprise_id  bigint NOT NULL REFERENCES enterprise(id),
        tier           text NOT NULL,
        PRIMARY KEY (draw_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE random_draw_item, random_draw, credit_score, scoring_run, scorecard_version, credit_record, enterprise`,
    );
  }
}
