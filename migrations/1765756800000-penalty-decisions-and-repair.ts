import { MigrationInterface, QueryRunner } from 'typeorm';
import { PUBLICATION_REGIMES } from '../src/penalties/rules/publication-regimes.js';

/**
 * Issue 13: penalty decisions served with their credit-repair notice (双书同达, domain.md 3.5),
 * publication periods by regime (3.2-3.4), reminders on the enterprise's page, repair applications
 * (信用修复申请, 3.3) and the results shared with Credit China.
 * - publication_regime: the regimes as data, append-only (a rule change is a new row);
 * - credit_record: each penalty's computed publication window, and repaired_on, the day repair
 *   was granted (the record stops counting that day: credit/indicator-sql.ts `counting`);
 * - penalty_decision, repair_notice, document_delivery: one transaction records all of them;
 * - enterprise_reminder: what the enterprise is told on its page, each exactly once (dedupe_key);
 * - repair_application with its files, events and the share to Credit China.
 */
export class PenaltyDecisionsAndRepair1765756800000 implements MigrationInterface {
  name = 'PenaltyDecisionsAndRepair1765756800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE publication_regime (
        code              text PRIMARY KEY CHECK (code ~ '^[A-Z0-9-]{2,32}$'),
        name              text NOT NULL,
        in_force_from     date NOT NULL,
        in_force_until    date CHECK (in_force_until IS NULL OR in_force_until >= in_force_from),
        alternative_until date,
        params            jsonb NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION publication_regime_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'publication_regime is append-only: a rule change is a new regime row'
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER publication_regime_no_change BEFORE UPDATE OR DELETE ON publication_regime FOR EACH ROW EXECUTE FUNCTION publication_regime_append_only()`,
    );
    // the three regimes of this issue; a later regime comes with its own migration
    for (const r of PUBLICATION_REGIMES.filter((x) =>
      ['SAMR-2021', 'SH-2023', 'NDRC-2026'].includes(x.code),
    )) {
      await q.query(
        `INSERT INTO publication_regime (code, name, in_force_from, in_force_until, alternative_until, params)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [r.code, r.name, r.inForceFrom, r.inForceUntil, r.alternativeUntil, JSON.stringify(r.params)],
      );
    }

    // a penalty's computed publication window (NULL for other kinds and for penalties imported without one)
    await q.query(`
      ALTER TABLE credit_record
        ADD COLUMN publication_start     date,
        ADD COLUMN publication_last_day  date,
        ADD COLUMN earliest_repair_on    date,
        ADD COLUMN never_ended_early     boolean NOT NULL DEFAULT false,
        ADD COLUMN regime_code           text REFERENCES publication_regime(code),
        ADD COLUMN period_provisional    boolean NOT NULL DEFAULT false,
        ADD COLUMN repaired_on           date,
        ADD CONSTRAINT credit_record_publication CHECK (publication_last_day IS NULL OR publication_last_day >= publication_start)`);

    await q.query(`
      CREATE TABLE penalty_decision (
        id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        decision_no         text NOT NULL UNIQUE CHECK (length(decision_no) BETWEEN 4 AND 80),
        kind                text NOT NULL CHECK (kind IN ('penalty','serious_listing')),
        enterprise_id       bigint NOT NULL REFERENCES enterprise(id),
        party_type          text NOT NULL CHECK (party_type IN ('organisation','natural_person')),
        decision_date       date NOT NULL,
        procedure           text NOT NULL CHECK (procedure IN ('summary','general')),
        penalty_types       text[] NOT NULL DEFAULT '{}',
        fine_fen            bigint CHECK (fine_fen >= 0),
        confiscated_fen     bigint CHECK (confiscated_fen >= 0),
        domain              text NOT NULL CHECK (domain IN ('food','drugs','special_equipment','work_safety','fire','general')),
        -- 处罚 / 不予处罚 (行政处罚法 art. 33 para 1) / 首违不罚 (art. 33 para 1, second sentence) / 减轻 / 从轻 (art. 32)
        outcome             text NOT NULL CHECK (outcome IN ('penalty','no_penalty','first_offence','mitigated','lighter')),
        lenient_matter_code text,
        education_given     text,
        violation           text NOT NULL,
        legal_basis         text NOT NULL,
        source_department   text NOT NULL,
        regime_code         text REFERENCES publication_regime(code),
        periods             jsonb,
        published_on        date,
        notice_required     boolean NOT NULL,
        no_notice_reason    text,
        credit_record_id    bigint UNIQUE REFERENCES credit_record(id),
        created_by          bigint REFERENCES app_user(id),
        created_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT penalty_decision_notice CHECK (notice_required OR no_notice_reason IS NOT NULL),
        CONSTRAINT penalty_decision_education CHECK (outcome NOT IN ('no_penalty','first_offence') OR education_given IS NOT NULL),
        CONSTRAINT penalty_decision_no_record CHECK (outcome NOT IN ('no_penalty','first_offence') OR credit_record_id IS NULL)
      )`);
    await q.query(
      `CREATE INDEX penalty_decision_enterprise ON penalty_decision (enterprise_id, decision_date)`,
    );
    await q.query(`CREATE INDEX penalty_decision_date ON penalty_decision (decision_date)`);

    await q.query(`
      CREATE TABLE repair_notice (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        decision_id   bigint NOT NULL UNIQUE REFERENCES penalty_decision(id),
        notice_no     text NOT NULL UNIQUE,
        issued_on     date NOT NULL,
        -- what the notice says, frozen when issued (the HTML and the PDF are rendered from it)
        contents      jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE document_delivery (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        decision_id   bigint NOT NULL REFERENCES penalty_decision(id),
        documents     text[] NOT NULL CHECK (cardinality(documents) >= 1 AND documents <@ ARRAY['decision','repair_notice']),
        channel       text NOT NULL CHECK (channel IN ('in_person','post','electronic','announcement','entrusted')),
        delivered_on  date NOT NULL,
        recipient     text,
        -- why the notice was not served with the decision (the same-day report lists it)
        exception_reason text,
        recorded_by   bigint REFERENCES app_user(id),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX document_delivery_decision ON document_delivery (decision_id)`);

    await q.query(`
      CREATE TABLE enterprise_reminder (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id    bigint NOT NULL REFERENCES enterprise(id),
        kind             text NOT NULL CHECK (kind IN ('repair_possible','period_ending','application_update','compliance_notice')),
        credit_record_id bigint REFERENCES credit_record(id),
        decision_id      bigint REFERENCES penalty_decision(id),
        application_id   bigint,
        -- the day it is about (repair opens, the period ends, the decision was taken)
        due_on           date NOT NULL,
        message          text NOT NULL,
        -- one reminder per fact, however often the job runs: repair_possible:<record>, period_ending:<record>:<last day>...
        dedupe_key       text NOT NULL UNIQUE,
        created_at       timestamptz NOT NULL DEFAULT now(),
        read_at          timestamptz
      )`);
    await q.query(
      `CREATE INDEX enterprise_reminder_enterprise ON enterprise_reminder (enterprise_id, created_at DESC)`,
    );

    await q.query(`
      CREATE TABLE repair_application (
        id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        application_no         text NOT NULL UNIQUE,
        enterprise_id          bigint NOT NULL REFERENCES enterprise(id),
        credit_record_id       bigint NOT NULL REFERENCES credit_record(id),
        kind                   text NOT NULL CHECK (kind IN ('penalty','anomaly_removal','serious_removal')),
        status                 text NOT NULL DEFAULT 'submitted'
                               CHECK (status IN ('submitted','accepted','approved','rejected','withdrawn')),
        statement              text NOT NULL,
        -- 谁认定谁修复: the department that recorded the information decides
        deciding_department    text NOT NULL,
        eligibility            jsonb NOT NULL,
        submitted_by           bigint NOT NULL REFERENCES app_user(id),
        submitted_at           timestamptz NOT NULL DEFAULT now(),
        accept_by              date NOT NULL,
        accept_by_provisional  boolean NOT NULL DEFAULT false,
        accepted_at            timestamptz,
        accepted_by            bigint REFERENCES app_user(id),
        decide_by              date,
        decide_by_provisional  boolean NOT NULL DEFAULT false,
        suspended_at           timestamptz,
        suspension_reason      text,
        suspension_latest_end  date,
        suspended_working_days integer NOT NULL DEFAULT 0 CHECK (suspended_working_days >= 0),
        decided_at             timestamptz,
        decided_by             bigint REFERENCES app_user(id),
        decision_reasons       text,
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT repair_application_suspension CHECK ((suspended_at IS NULL) = (suspension_reason IS NULL)),
        CONSTRAINT repair_application_decided CHECK (status NOT IN ('approved','rejected') OR (decided_at IS NOT NULL AND decision_reasons IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX repair_application_one_open ON repair_application (credit_record_id) WHERE status IN ('submitted','accepted')`,
    );
    await q.query(
      `CREATE INDEX repair_application_queue ON repair_application (deciding_department, status)`,
    );
    await q.query(`CREATE INDEX repair_application_enterprise ON repair_application (enterprise_id)`);
    await q.query(
      `ALTER TABLE enterprise_reminder ADD FOREIGN KEY (application_id) REFERENCES repair_application(id)`,
    );

    await q.query(`
      CREATE TABLE repair_application_file (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        application_id  bigint NOT NULL REFERENCES repair_application(id),
        role            text NOT NULL CHECK (role IN ('application_form','commitment_letter','proof','other')),
        file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        -- sniffed from the bytes, never taken from the name or the browser
        media_type      text NOT NULL CHECK (media_type IN ('application/pdf','image/jpeg','image/png')),
        size_bytes      integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
        sha256          bytea NOT NULL,
        content         bytea NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX repair_application_file_application ON repair_application_file (application_id)`,
    );

    await q.query(`
      CREATE TABLE repair_application_event (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        application_id  bigint NOT NULL REFERENCES repair_application(id),
        at              timestamptz NOT NULL DEFAULT now(),
        actor_id        bigint REFERENCES app_user(id),
        action          text NOT NULL CHECK (action IN ('submitted','accepted','suspended','resumed','approved','rejected','withdrawn','shared')),
        reason          text,
        details         jsonb
      )`);
    await q.query(
      `CREATE INDEX repair_application_event_application ON repair_application_event (application_id, at)`,
    );

    // the results shared with Credit China (信用中国) within 3 working days of the decision
    await q.query(`
      CREATE TABLE repair_result_share (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        application_id  bigint NOT NULL UNIQUE REFERENCES repair_application(id),
        result          text NOT NULL CHECK (result IN ('approved','rejected')),
        due_by          date NOT NULL,
        due_by_provisional boolean NOT NULL DEFAULT false,
        shared_at       timestamptz,
        batch           text,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE repair_result_share, repair_application_event, repair_application_file`);
    await q.query(`DROP TABLE enterprise_reminder`);
    await q.query(`DROP TABLE repair_application, document_delivery, repair_notice, penalty_decision`);
    await q.query(`
      ALTER TABLE credit_record DROP CONSTRAINT credit_record_publication,
        DROP COLUMN publication_start, DROP COLUMN publication_last_day, DROP COLUMN earliest_repair_on,
        DROP COLUMN never_ended_early, DROP COLUMN regime_code, DROP COLUMN period_provisional, DROP COLUMN repaired_on`);
    await q.query(`DROP TABLE publication_regime`);
    await q.query(`DROP FUNCTION publication_regime_append_only()`);
  }
}
