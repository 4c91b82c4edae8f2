import { MigrationInterface, QueryRunner } from 'typeorm';

/** Credit record kinds before this migration (foundation + capital-and-changes). */
const KINDS_BEFORE = `'administrative_penalty','listing','complaint','referral','inspection_result','judgment_defaulter',
  'unpaid_tax','product_spot_check','judicial_case','commendation','registration_change'`;

/**
 * Issue 14: prepaid-consumption risk early warning (预付式消费风险预警, domain.md 6; 上海市单用途预付
 * 消费卡管理规定 2018 and its 2019 measures).
 *
 * Facts: prepaid issuers (an enterprise of the register that sells 单用途预付卡), their stores, payee
 * accounts, periodic reports and signals. Judgements: a risk level per issuer per day from the pure
 * rules (src/prepaid/rules/risk-rules.ts) under a versioned model. Work: alerts with their lifecycle and
 * disposals (an on-site check is an event-triggered check of the planning module). Results: feedback and
 * disposal outcomes become credit records of kind `regulatory_measure` (监管措施).
 *
 * Money in fen (bigint). Legal dates are `date` (Asia/Shanghai); instants are timestamptz.
 */
export class PrepaidEarlyWarning1765929600000 implements MigrationInterface {
  name = 'PrepaidEarlyWarning1765929600000';

  async up(q: QueryRunner): Promise<void> {
    // ---- the issuer: one row per enterprise of the register that sells prepaid cards ----
    await q.query(`
      CREATE TABLE prepaid_issuer (
        enterprise_id          bigint PRIMARY KEY REFERENCES enterprise(id),
        sector                 text NOT NULL CHECK (sector IN ('beauty_hair','fitness','education_training','catering','laundry','other')),
        -- 接入上海市单用途预付消费卡协同监管服务平台: the day it connected, and its code there
        platform_registered_on date,
        platform_code          text,
        -- 资金存管 / 履约保证保险 / 银行保函 / none
        guarantee_kind         text NOT NULL DEFAULT 'none' CHECK (guarantee_kind IN ('escrow','insurance','bank_guarantee','none')),
        escrow_bank            text,
        -- the first day it sold a card (the "under one year" rule counts from here, else from the register's established_on)
        selling_since          date,
        -- the last evaluation's judgement, kept for lists and the map (the evaluation itself is recomputable as of any day)
        current_level          text CHECK (current_level IN ('none','blue','yellow','orange','red')),
        current_level_since    date,
        evaluated_on           date,
        source_system          text NOT NULL DEFAULT 'api',
        source_key             text,
        created_by             bigint REFERENCES app_user(id),
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX prepaid_issuer_level_idx ON prepaid_issuer (current_level, sector)`);

    await q.query(`
      CREATE TABLE prepaid_store (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id  bigint NOT NULL REFERENCES prepaid_issuer(enterprise_id),
        name           text NOT NULL CHECK (length(btrim(name)) > 0),
        address        text NOT NULL CHECK (length(btrim(address)) > 0),
        -- 街道: the risk map groups by it
        street         text,
        opened_on      date,
        lease_ends_on  date,
        closed_on      date,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prepaid_store_closed_after_open CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on)
      )`);
    await q.query(`CREATE INDEX prepaid_store_enterprise_idx ON prepaid_store (enterprise_id)`);

    // payee accounts (收款账户): a change is also a signal (kind payee_change)
    await q.query(`
      CREATE TABLE prepaid_payee_account (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id  bigint NOT NULL REFERENCES prepaid_issuer(enterprise_id),
        bank           text NOT NULL,
        -- only the last four digits are kept
        account_tail   char(4) NOT NULL CHECK (account_tail ~ '^[0-9]{4}$'),
        escrow         boolean NOT NULL DEFAULT false,
        from_on        date NOT NULL,
        until_on       date,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prepaid_payee_account_period CHECK (until_on IS NULL OR until_on >= from_on)
      )`);
    await q.query(
      `CREATE INDEX prepaid_payee_account_enterprise_idx ON prepaid_payee_account (enterprise_id, from_on)`,
    );

    // ---- periodic reports: quarterly by rule (due by the 25th of the quarter's first month), monthly when available ----
    await q.query(`
      CREATE TABLE prepaid_report (
        id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id           bigint NOT NULL REFERENCES prepaid_issuer(enterprise_id),
        period_kind             text NOT NULL CHECK (period_kind IN ('quarter','month')),
        period_start            date NOT NULL,
        period_end              date NOT NULL,
        submitted_on            date NOT NULL,
        -- balances at period end; flows during the period
        balance_fen             bigint NOT NULL CHECK (balance_fen >= 0),
        cards_sold_count        integer NOT NULL CHECK (cards_sold_count >= 0),
        cards_sold_fen          bigint NOT NULL CHECK (cards_sold_fen >= 0),
        max_card_fen            bigint CHECK (max_card_fen >= 0),
        anonymous_over_limit    integer NOT NULL DEFAULT 0 CHECK (anonymous_over_limit >= 0),
        registered_over_limit   integer NOT NULL DEFAULT 0 CHECK (registered_over_limit >= 0),
        longest_term_months     integer CHECK (longest_term_months >= 0),
        deepest_discount_pct    integer CHECK (deepest_discount_pct BETWEEN 0 AND 100),
        redemptions_fen         bigint NOT NULL CHECK (redemptions_fen >= 0),
        refunds_fen             bigint NOT NULL DEFAULT 0 CHECK (refunds_fen >= 0),
        escrow_balance_fen      bigint CHECK (escrow_balance_fen >= 0),
        insurance_cover_fen     bigint CHECK (insurance_cover_fen >= 0),
        revenue_last_year_fen   bigint CHECK (revenue_last_year_fen >= 0),
        -- a correction keeps the report it replaces (nothing lost): the replaced row gets superseded_by
        superseded_by           bigint REFERENCES prepaid_report(id),
        correction_reason       text,
        source_system           text NOT NULL DEFAULT 'api',
        source_key              text,
        created_by              bigint REFERENCES app_user(id),
        created_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prepaid_report_period CHECK (period_end >= period_start),
        CONSTRAINT prepaid_report_submitted CHECK (submitted_on >= period_start)
      )`);
    // one report in force per issuer and period
    await q.query(
      `CREATE UNIQUE INDEX prepaid_report_in_force ON prepaid_report (enterprise_id, period_kind, period_start) WHERE superseded_by IS NULL`,
    );
    await q.query(`CREATE INDEX prepaid_report_enterprise_idx ON prepaid_report (enterprise_id, period_end)`);
    await q.query(
      `CREATE UNIQUE INDEX prepaid_report_source_key ON prepaid_report (source_system, source_key) WHERE source_key IS NOT NULL`,
    );

    // ---- signals (预警信号) that are not credit records already (penalties, anomaly listing and judicial
    //      cases are read from credit_record) ----
    await q.query(`
      CREATE TABLE prepaid_signal (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id  bigint NOT NULL REFERENCES prepaid_issuer(enterprise_id),
        kind           text NOT NULL CHECK (kind IN ('complaint','closure_notice','moving_notice','unreachable',
                         'promotion','payee_change','entity_change','unpaid_wages','lawsuit','public_opinion')),
        -- the day it happened (complaint filed, notice posted, promotion started, found unreachable)
        occurred_on    date NOT NULL,
        received_on    date NOT NULL,
        -- the amount at stake (a complaint's prepaid amount), fen
        amount_fen     bigint CHECK (amount_fen >= 0),
        -- closure or moving notices: the announced day of closing or moving
        effective_on   date,
        -- promotions: discount (percent off face value) and card term (months)
        discount_pct   integer CHECK (discount_pct BETWEEN 0 AND 100),
        term_months    integer CHECK (term_months >= 0),
        store_id       bigint REFERENCES prepaid_store(id),
        summary        text NOT NULL CHECK (length(btrim(summary)) > 0),
        source_ref     text,
        source_system  text NOT NULL DEFAULT 'api',
        source_key     text,
        created_by     bigint REFERENCES app_user(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prepaid_signal_received CHECK (received_on >= occurred_on)
      )`);
    await q.query(
      `CREATE INDEX prepaid_signal_enterprise_idx ON prepaid_signal (enterprise_id, occurred_on)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX prepaid_signal_source_key ON prepaid_signal (source_system, source_key) WHERE source_key IS NOT NULL`,
    );

    // ---- the risk model: versioned weights and thresholds, append-only, activated from a day ----
    await q.query(`
      CREATE TABLE prepaid_risk_model (
        version      text PRIMARY KEY,
        description  text NOT NULL,
        config       jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE prepaid_risk_model_activation (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        version         text NOT NULL REFERENCES prepaid_risk_model(version),
        effective_from  date NOT NULL,
        activated_by    bigint REFERENCES app_user(id),
        activated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION prepaid_risk_model_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'prepaid_risk_model is append-only: a change of weights is a new version'
          USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER prepaid_risk_model_no_change BEFORE UPDATE OR DELETE ON prepaid_risk_model FOR EACH ROW EXECUTE FUNCTION prepaid_risk_model_append_only()`,
    );

    // ---- the daily evaluation: one run per day (advisory-locked job), levels kept per issuer per run ----
    await q.query(`
      CREATE TABLE prepaid_evaluation_run (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        as_of          date NOT NULL,
        model_version  text NOT NULL REFERENCES prepaid_risk_model(version),
        started_at     timestamptz NOT NULL DEFAULT now(),
        finished_at    timestamptz,
        evaluated      integer NOT NULL DEFAULT 0,
        levels         jsonb NOT NULL DEFAULT '{}',
        alerts_opened  integer NOT NULL DEFAULT 0,
        alerts_raised  integer NOT NULL DEFAULT 0,
        trigger_kind   text NOT NULL DEFAULT 'schedule' CHECK (trigger_kind IN ('schedule','cli','api'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX prepaid_evaluation_run_done ON prepaid_evaluation_run (as_of) WHERE finished_at IS NOT NULL`,
    );
    // a level per issuer per evaluated day (only issuers at yellow or above, or whose level changed: the
    // trend on the issuer's page is recomputed from facts for any day)
    await q.query(`
      CREATE TABLE prepaid_level (
        enterprise_id  bigint NOT NULL REFERENCES prepaid_issuer(enterprise_id),
        as_of          date NOT NULL,
        run_id         bigint NOT NULL REFERENCES prepaid_evaluation_run(id),
        level          text NOT NULL CHECK (level IN ('none','blue','yellow','orange','red')),
        score          numeric(8,2) NOT NULL,
        fired          jsonb NOT NULL,
        PRIMARY KEY (enterprise_id, as_of)
      )`);

    // ---- alerts and their disposal (closed loop: warning -> disposal -> feedback) ----
    await q.query(`
      CREATE TABLE prepaid_alert (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id   bigint NOT NULL REFERENCES prepaid_issuer(enterprise_id),
        department      text NOT NULL,
        opened_on       date NOT NULL,
        opened_level    text NOT NULL CHECK (opened_level IN ('yellow','orange','red')),
        level           text NOT NULL CHECK (level IN ('yellow','orange','red')),
        raised_on       date,
        status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open','assigned','disposing','feedback','closed')),
        -- the evidence as of the opening day (the rules that fired, their values and thresholds, the model version)
        evidence        jsonb NOT NULL,
        model_version   text NOT NULL REFERENCES prepaid_risk_model(version),
        -- time limit: working days per level from opening (raised: recomputed from the raise)
        due_on          date NOT NULL,
        due_provisional boolean NOT NULL DEFAULT false,
        assigned_to     bigint REFERENCES app_user(id),
        assigned_by     bigint REFERENCES app_user(id),
        assigned_at     timestamptz,
        findings        text,
        issuer_action   text,
        outcome         text CHECK (outcome IN ('risk_resolved','risk_reduced','risk_persists','business_closed','referred')),
        feedback_by     bigint REFERENCES app_user(id),
        feedback_at     timestamptz,
        closed_by       bigint REFERENCES app_user(id),
        closed_at       timestamptz,
        credit_record_id bigint REFERENCES credit_record(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prepaid_alert_assigned CHECK (status = 'open' OR assigned_to IS NOT NULL),
        CONSTRAINT prepaid_alert_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
        CONSTRAINT prepaid_alert_feedback CHECK (status NOT IN ('feedback','closed') OR (findings IS NOT NULL AND outcome IS NOT NULL))
      )`);
    // never two alerts in progress for one issuer: a worse level raises the open alert
    await q.query(
      `CREATE UNIQUE INDEX prepaid_alert_one_in_progress ON prepaid_alert (enterprise_id) WHERE status <> 'closed'`,
    );
    await q.query(`CREATE INDEX prepaid_alert_status_idx ON prepaid_alert (status, level, due_on)`);

    await q.query(`
      CREATE TABLE prepaid_alert_event (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id   bigint NOT NULL REFERENCES prepaid_alert(id),
        kind       text NOT NULL CHECK (kind IN ('opened','raised','assigned','disposal','feedback','closed')),
        level      text CHECK (level IN ('yellow','orange','red')),
        as_of      date NOT NULL,
        evidence   jsonb,
        note       text,
        actor_id   bigint REFERENCES app_user(id),
        at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX prepaid_alert_event_alert_idx ON prepaid_alert_event (alert_id, id)`);

    await q.query(`
      CREATE TABLE prepaid_disposal (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id         bigint NOT NULL REFERENCES prepaid_alert(id),
        -- 约谈 / 警示函 / 现场检查 (an event-triggered check) / 责令停止收取预付款 (消保法实施条例 art. 22) / 移送
        kind             text NOT NULL CHECK (kind IN ('interview','warning_letter','onsite_check','stop_prepayment_order','referral')),
        decided_on       date NOT NULL,
        note             text NOT NULL CHECK (length(btrim(note)) > 0),
        referred_to      text,
        trigger_id       bigint REFERENCES inspection_trigger(id),
        task_id          bigint REFERENCES inspection_task(id),
        credit_record_id bigint REFERENCES credit_record(id),
        created_by       bigint NOT NULL REFERENCES app_user(id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prepaid_disposal_onsite CHECK (kind <> 'onsite_check' OR trigger_id IS NOT NULL),
        CONSTRAINT prepaid_disposal_referral CHECK (kind <> 'referral' OR referred_to IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX prepaid_disposal_alert_idx ON prepaid_disposal (alert_id)`);

    // disposal outcomes are credit records of the issuer (监管措施)
    await q.query(`ALTER TABLE credit_record DROP CONSTRAINT credit_record_kind_check`);
    await q.query(`ALTER TABLE credit_record ADD CONSTRAINT credit_record_kind_check
      CHECK (kind IN (${KINDS_BEFORE}, 'regulatory_measure'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM credit_record WHERE kind = 'regulatory_measure'`);
    await q.query(`ALTER TABLE credit_record DROP CONSTRAINT credit_record_kind_check`);
    await q.query(
      `ALTER TABLE credit_record ADD CONSTRAINT credit_record_kind_check CHECK (kind IN (${KINDS_BEFORE}))`,
    );
    await q.query(`DROP TABLE prepaid_disposal, prepaid_alert_event, prepaid_alert, prepaid_level, prepaid_evaluation_run,
      prepaid_risk_model_activation, prepaid_risk_model, prepaid_signal, prepaid_report, prepaid_payee_account,
      prepaid_store, prepaid_issuer`);
    await q.query(`DROP FUNCTION prepaid_risk_model_append_only()`);
  }
}
