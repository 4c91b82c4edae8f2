import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tiered inspection planning (issue 11; domain.md 5.1-5.3): one list and two rosters (一单两库),
 * annual plans with sampling by tier, the commit-reveal draw of targets and inspectors per batch,
 * tasks (routine and event-triggered), joint visits (综合查一次) and results.
 *
 * Flow (docs/architecture.md): item list + rosters + tiers (facts, judgements) -> plan (policy) ->
 * plan_draw (work: frozen inputs, commitment, reveal, targets) -> inspection_task (work) ->
 * result -> credit_record `inspection_result` (facts).
 *
 * Invariants held by the database, whatever the service does:
 * - a published plan, its items, batches and tier policy never change (trigger
 *   inspection_plan_frozen); a change is a new version naming the one it replaces;
 * - one draw per batch; its frozen inputs are append-only;
 * - a routine task comes from a draw target, an event task from at least one trigger (the
 *   无事不扰 report checks the second; the first is a CHECK).
 */
export class InspectionPlanning1765584000000 implements MigrationInterface {
  name = 'InspectionPlanning1765584000000';

  async up(q: QueryRunner): Promise<void> {
    // ---- the item list (随机抽查事项清单) ----
    await q.query(`
      CREATE TABLE inspection_item (
        id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code                    text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
        name                    text NOT NULL CHECK (length(btrim(name)) > 0),
        department              text NOT NULL,
        legal_basis             text NOT NULL CHECK (length(btrim(legal_basis)) > 0),
        check_method            text NOT NULL CHECK (check_method IN ('on_site','documents','data')),
        -- GB/T 4754 industry codes or prefixes (section letter, or letter + 2-4 digits) the item
        -- applies to; empty: every industry
        industries              text[] NOT NULL DEFAULT '{}',
        -- the checklist lines an inspector checks (compliance requirements), in order
        requirements            jsonb NOT NULL CHECK (jsonb_typeof(requirements) = 'array' AND jsonb_array_length(requirements) > 0),
        full_coverage           boolean NOT NULL DEFAULT false,
        -- statutory checks a year for a full-coverage item (Shanghai 条例 art. 61), else null
        full_coverage_per_year  integer CHECK (full_coverage_per_year > 0),
        active                  boolean NOT NULL DEFAULT true,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inspection_item_coverage CHECK (full_coverage = (full_coverage_per_year IS NOT NULL))
      )`);

    // ---- the inspector roster (执法检查人员名录库): inspector users plus what the roster adds ----
    await q.query(`
      CREATE TABLE inspector_profile (
        user_id      bigint PRIMARY KEY REFERENCES app_user(id),
        -- streets (街道) the inspector covers; empty: the whole district
        areas        text[] NOT NULL DEFAULT '{}',
        on_roster    boolean NOT NULL DEFAULT true,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE inspector_qualification (
        user_id   bigint NOT NULL REFERENCES inspector_profile(user_id) ON DELETE CASCADE,
        item_id   bigint NOT NULL REFERENCES inspection_item(id),
        PRIMARY KEY (user_id, item_id)
      )`);
    await q.query(`CREATE INDEX inspector_qualification_item_idx ON inspector_qualification (item_id)`);

    // ---- conflict declarations for recusal (回避) ----
    await q.query(`
      CREATE TABLE recusal (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        inspector_id    bigint NOT NULL REFERENCES app_user(id),
        enterprise_id   bigint NOT NULL REFERENCES enterprise(id),
        source          text NOT NULL CHECK (source IN ('inspector','enterprise','regulator')),
        reason          text NOT NULL CHECK (length(btrim(reason)) > 0),
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
        requested_by    bigint REFERENCES app_user(id),
        requested_at    timestamptz NOT NULL DEFAULT now(),
        reviewed_by     bigint REFERENCES app_user(id),
        reviewed_at     timestamptz,
        review_note     text,
        CONSTRAINT recusal_reviewed CHECK ((status = 'pending') = (reviewed_at IS NULL))
      )`);
    // one open or approved declaration per pair
    await q.query(
      `CREATE UNIQUE INDEX recusal_pair_key ON recusal (inspector_id, enterprise_id) WHERE status <> 'rejected'`,
    );
    await q.query(`CREATE INDEX recusal_enterprise_idx ON recusal (enterprise_id)`);

    // ---- annual plans ----
    await q.query(`
      CREATE TABLE inspection_plan (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- the plan number the inspection code carries; the same for every version of a plan
        plan_no           text NOT NULL,
        version           integer NOT NULL DEFAULT 1 CHECK (version > 0),
        replaces_id       bigint REFERENCES inspection_plan(id),
        year              integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        title             text NOT NULL CHECK (length(btrim(title)) > 0),
        lead_department   text NOT NULL,
        joint_departments text[] NOT NULL DEFAULT '{}',
        scope             text,
        status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','superseded')),
        published_at      timestamptz,
        published_by      bigint REFERENCES app_user(id),
        -- published after March 31 of its year (Shanghai 优化营商环境条例 art. 62)
        late              boolean,
        created_by        bigint REFERENCES app_user(id),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inspection_plan_version_key UNIQUE (plan_no, version),
        CONSTRAINT inspection_plan_published CHECK ((status = 'draft') = (published_at IS NULL)),
        CONSTRAINT inspection_plan_late CHECK ((status = 'draft') = (late IS NULL)),
        CONSTRAINT inspection_plan_replaces CHECK ((version = 1) = (replaces_id IS NULL))
      )`);
    // one draft at a time per plan number
    await q.query(
      `CREATE UNIQUE INDEX inspection_plan_one_draft ON inspection_plan (plan_no) WHERE status = 'draft'`,
    );
    await q.query(`
      CREATE TABLE inspection_plan_item (
        plan_id   bigint NOT NULL REFERENCES inspection_plan(id) ON DELETE CASCADE,
        item_id   bigint NOT NULL REFERENCES inspection_item(id),
        PRIMARY KEY (plan_id, item_id)
      )`);
    await q.query(`
      CREATE TABLE inspection_plan_tier (
        plan_id     bigint NOT NULL REFERENCES inspection_plan(id) ON DELETE CASCADE,
        tier        text NOT NULL,
        -- share of eligible enterprises drawn per batch, item and tier (domain.md 5.2)
        ratio       numeric(7,6) NOT NULL CHECK (ratio >= 0 AND ratio <= 1),
        -- routine checks per enterprise per year at most (domain.md 5.2: 2 by default)
        yearly_cap  integer NOT NULL CHECK (yearly_cap >= 0),
        PRIMARY KEY (plan_id, tier)
      )`);
    await q.query(`
      CREATE TABLE inspection_batch (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        plan_id       bigint NOT NULL REFERENCES inspection_plan(id) ON DELETE CASCADE,
        seq           integer NOT NULL CHECK (seq > 0),
        name          text NOT NULL CHECK (length(btrim(name)) > 0),
        window_start  date NOT NULL,
        window_end    date NOT NULL,
        CONSTRAINT inspection_batch_seq_key UNIQUE (plan_id, seq),
        CONSTRAINT inspection_batch_window CHECK (window_start <= window_end)
      )`);
    // a published plan is immutable: its row (but for status published -> superseded), items,
    // tier policy and batches
    await q.query(`
      CREATE FUNCTION inspection_plan_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        pid bigint;
        st text;
      BEGIN
        IF TG_TABLE_NAME = 'inspection_plan' THEN
          IF TG_OP = 'DELETE' THEN
            IF OLD.status <> 'draft' THEN RAISE EXCEPTION 'inspection plan % is published and cannot be deleted', OLD.id USING ERRCODE = 'P0001'; END IF;
            RETURN OLD;
          END IF;
          IF OLD.status = 'draft' THEN RETURN NEW; END IF;
          IF OLD.status = 'published' AND NEW.status = 'superseded'
             AND (to_jsonb(NEW) - 'status' - 'updated_at') = (to_jsonb(OLD) - 'status' - 'updated_at') THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'inspection plan % is published and cannot change: publish a new version', OLD.id USING ERRCODE = 'P0001';
        END IF;
        IF TG_OP = 'DELETE' THEN pid := OLD.plan_id; ELSE pid := NEW.plan_id; END IF;
        SELECT status INTO st FROM inspection_plan WHERE id = pid;
        IF st IS NOT NULL AND st <> 'draft' THEN
          RAISE EXCEPTION 'inspection plan % is published and cannot change: publish a new version', pid USING ERRCODE = 'P0001';
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.plan_id <> NEW.plan_id THEN
          SELECT status INTO st FROM inspection_plan WHERE id = OLD.plan_id;
          IF st <> 'draft' THEN
            RAISE EXCEPTION 'inspection plan % is published and cannot change', OLD.plan_id USING ERRCODE = 'P0001';
          END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    for (const t of ['inspection_plan', 'inspection_plan_item', 'inspection_plan_tier', 'inspection_batch'])
      await q.query(
        `CREATE TRIGGER ${t}_frozen BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION inspection_plan_frozen()`,
      );
    for (const t of ['inspection_plan_item', 'inspection_plan_tier', 'inspection_batch'])
      await q.query(
        `CREATE TRIGGER ${t}_frozen_insert BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION inspection_plan_frozen()`,
      );

    // ---- the draw of a batch: commit, public value, reveal, draw ----
    await q.query(`
      CREATE TABLE plan_draw (
        id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        batch_id            bigint NOT NULL UNIQUE REFERENCES inspection_batch(id),
        status              text NOT NULL DEFAULT 'committed' CHECK (status IN ('committed','revealed','drawn')),
        algorithm           text NOT NULL,
        -- the day whose tiers the frozen roster holds
        tier_date           date NOT NULL,
        -- SHA-256 (hex) of the regulator's secret seed, stored and published before any public value
        commitment          char(64) NOT NULL CHECK (commitment ~ '^[0-9a-f]{64}$'),
        -- what public value will be combined with the secret, announced with the commitment
        -- (e.g. 中国福利彩票双色球 2027015 期开奖号码)
        public_source       text NOT NULL CHECK (length(btrim(public_source)) > 0),
        committed_by        bigint REFERENCES app_user(id),
        committed_at        timestamptz NOT NULL DEFAULT now(),
        -- the digests of the frozen inputs (plan_draw_input), published with the commitment
        inputs_digest       char(64) NOT NULL,
        public_value        text,
        public_value_by     bigint REFERENCES app_user(id),
        public_value_at     timestamptz,
        secret              text,
        revealed_by         bigint REFERENCES app_user(id),
        revealed_at         timestamptz,
        final_seed          char(64),
        drawn_by            bigint REFERENCES app_user(id),
        drawn_at            timestamptz,
        -- SHA-256 of the canonical result (targets and inspectors), and its figures per item and tier
        result_digest       char(64),
        summary             jsonb,
        CONSTRAINT plan_draw_public_value CHECK ((public_value IS NULL) = (public_value_at IS NULL)),
        CONSTRAINT plan_draw_revealed CHECK ((status = 'committed') = (secret IS NULL)),
        CONSTRAINT plan_draw_drawn CHECK ((status = 'drawn') = (drawn_at IS NOT NULL)),
        CONSTRAINT plan_draw_reveal_after_value CHECK (secret IS NULL OR public_value IS NOT NULL)
      )`);
    // the frozen inputs: canonical text documents (gzip), each with its SHA-256 over the text
    await q.query(`
      CREATE TABLE plan_draw_input (
        draw_id   bigint NOT NULL REFERENCES plan_draw(id),
        name      text NOT NULL CHECK (name IN ('params','roster','inspectors','recusals')),
        digest    char(64) NOT NULL,
        lines     integer NOT NULL CHECK (lines >= 0),
        body_gz   bytea NOT NULL,
        PRIMARY KEY (draw_id, name)
      )`);
    await q.query(`
      CREATE FUNCTION plan_draw_input_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the frozen inputs of a draw cannot change' USING ERRCODE = 'P0001';
      END $$`);
    await q.query(
      `CREATE TRIGGER plan_draw_input_append_only BEFORE UPDATE OR DELETE ON plan_draw_input FOR EACH ROW EXECUTE FUNCTION plan_draw_input_append_only()`,
    );
    // the drawn targets, per item and tier in shuffle order; replacements are later positions
    await q.query(`
      CREATE TABLE plan_draw_target (
        draw_id            bigint NOT NULL REFERENCES plan_draw(id),
        item_id            bigint NOT NULL REFERENCES inspection_item(id),
        tier               text NOT NULL,
        -- 1-based position in the shuffle of the item's and tier's eligible enterprises
        position           integer NOT NULL CHECK (position > 0),
        enterprise_id      bigint NOT NULL REFERENCES enterprise(id),
        status             text NOT NULL DEFAULT 'selected' CHECK (status IN ('selected','replaced')),
        -- a replacement: the position it replaces; a replaced target: why (closed, not found)
        replaces_position  integer,
        replaced_reason    text,
        replaced_by        bigint REFERENCES app_user(id),
        replaced_at        timestamptz,
        PRIMARY KEY (draw_id, item_id, tier, position),
        CONSTRAINT plan_draw_target_replaced CHECK ((status = 'replaced') = (replaced_reason IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX plan_draw_target_enterprise_idx ON plan_draw_target (enterprise_id)`);

    // ---- joint visits (综合查一次): tasks of one enterprise in overlapping windows ----
    await q.query(`
      CREATE TABLE joint_visit (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id    bigint NOT NULL REFERENCES enterprise(id),
        lead_department  text NOT NULL,
        window_start     date NOT NULL,
        window_end       date NOT NULL,
        status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open','completed','cancelled')),
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT joint_visit_window CHECK (window_start <= window_end)
      )`);
    await q.query(`CREATE INDEX joint_visit_enterprise_idx ON joint_visit (enterprise_id)`);

    // ---- tasks ----
    await q.query(`
      CREATE TABLE inspection_task (
        id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind                 text NOT NULL CHECK (kind IN ('routine','event')),
        enterprise_id        bigint NOT NULL REFERENCES enterprise(id),
        department           text NOT NULL,
        -- routine: the plan, batch and draw it comes from
        plan_id              bigint REFERENCES inspection_plan(id),
        batch_id             bigint REFERENCES inspection_batch(id),
        draw_id              bigint REFERENCES plan_draw(id),
        -- the enterprise's tier when the task was made (routine: the draw's tier date)
        tier                 text,
        window_start         date NOT NULL,
        window_end           date NOT NULL,
        status               text NOT NULL DEFAULT 'assigned'
                             CHECK (status IN ('assigned','in_progress','completed','cancelled','replaced')),
        visit_id             bigint REFERENCES joint_visit(id),
        -- the seed the inspectors were drawn with (routine: from the draw's final seed; event:
        -- random bytes recorded here), so the assignment can be recomputed
        assignment_seed      text NOT NULL,
        outcome              text CHECK (outcome IN ('no_problem','problems_found','refused','not_found')),
        findings             jsonb,
        correction_deadline  date,
        result_note          text,
        recorded_by          bigint REFERENCES app_user(id),
        recorded_at          timestamptz,
        credit_record_id     bigint REFERENCES credit_record(id),
        cancel_reason        text,
        created_by           bigint REFERENCES app_user(id),
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inspection_task_window CHECK (window_start <= window_end),
        CONSTRAINT inspection_task_routine CHECK ((kind = 'routine') = (draw_id IS NOT NULL AND batch_id IS NOT NULL AND plan_id IS NOT NULL)),
        CONSTRAINT inspection_task_result CHECK ((status = 'completed') = (outcome IS NOT NULL AND recorded_at IS NOT NULL)),
        CONSTRAINT inspection_task_deadline CHECK (correction_deadline IS NULL OR outcome = 'problems_found')
      )`);
    await q.query(
      `CREATE INDEX inspection_task_enterprise_idx ON inspection_task (enterprise_id, window_start)`,
    );
    await q.query(`CREATE INDEX inspection_task_batch_idx ON inspection_task (batch_id)`);
    await q.query(`CREATE INDEX inspection_task_visit_idx ON inspection_task (visit_id)`);
    await q.query(`CREATE INDEX inspection_task_status_idx ON inspection_task (status, window_end)`);
    // one routine task per batch, enterprise and department (its items listed in inspection_task_item)
    await q.query(
      `CREATE UNIQUE INDEX inspection_task_routine_key ON inspection_task (batch_id, enterprise_id, department) WHERE kind = 'routine'`,
    );
    await q.query(`
      CREATE TABLE inspection_task_item (
        task_id   bigint NOT NULL REFERENCES inspection_task(id) ON DELETE CASCADE,
        item_id   bigint NOT NULL REFERENCES inspection_item(id),
        PRIMARY KEY (task_id, item_id)
      )`);
    // the inspectors of a task, in draw order, and the ones skipped for recusal
    await q.query(`
      CREATE TABLE inspection_task_inspector (
        task_id      bigint NOT NULL REFERENCES inspection_task(id) ON DELETE CASCADE,
        user_id      bigint NOT NULL REFERENCES app_user(id),
        position     integer NOT NULL CHECK (position > 0),
        role         text NOT NULL CHECK (role IN ('assigned','skipped_recusal','withdrawn')),
        recusal_id   bigint REFERENCES recusal(id),
        PRIMARY KEY (task_id, user_id),
        CONSTRAINT inspection_task_inspector_recusal CHECK ((role = 'skipped_recusal') = (recusal_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX inspection_task_inspector_user_idx ON inspection_task_inspector (user_id) WHERE role = 'assigned'`,
    );

    // ---- event triggers (事件触发式检查) ----
    await q.query(`
      CREATE TABLE inspection_trigger (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id    bigint NOT NULL REFERENCES enterprise(id),
        kind             text NOT NULL CHECK (kind IN ('complaint','report','referral','data_alert','legal_requirement')),
        reason           text NOT NULL CHECK (length(btrim(reason)) > 0),
        -- the complaint number, referral document number or alert id it comes from
        source_ref       text,
        department       text NOT NULL,
        item_ids         bigint[] NOT NULL DEFAULT '{}',
        received_on      date NOT NULL,
        status           text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed','accepted','dismissed')),
        proposed_by      bigint REFERENCES app_user(id),
        proposed_at      timestamptz NOT NULL DEFAULT now(),
        decided_by       bigint REFERENCES app_user(id),
        decided_at       timestamptz,
        dismissal_reason text,
        task_id          bigint REFERENCES inspection_task(id),
        CONSTRAINT inspection_trigger_decided CHECK ((status = 'proposed') = (decided_at IS NULL)),
        CONSTRAINT inspection_trigger_accepted CHECK ((status = 'accepted') = (task_id IS NOT NULL)),
        CONSTRAINT inspection_trigger_dismissed CHECK ((status = 'dismissed') = (dismissal_reason IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX inspection_trigger_enterprise_idx ON inspection_trigger (enterprise_id, received_on)`,
    );
    await q.query(`CREATE INDEX inspection_trigger_task_idx ON inspection_trigger (task_id)`);
    await q.query(`CREATE INDEX inspection_trigger_status_idx ON inspection_trigger (status, proposed_at)`);

    // ---- every merge of tasks into a joint visit, kept ----
    await q.query(`
      CREATE TABLE joint_visit_merge (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        visit_id    bigint NOT NULL REFERENCES joint_visit(id),
        task_id     bigint NOT NULL REFERENCES inspection_task(id),
        merged_at   timestamptz NOT NULL DEFAULT now(),
        reason      text NOT NULL
      )`);
    await q.query(`CREATE INDEX joint_visit_merge_visit_idx ON joint_visit_merge (visit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE joint_visit_merge, inspection_trigger, inspection_task_inspector, inspection_task_item,
      inspection_task, joint_visit, plan_draw_target, plan_draw_input, plan_draw, inspection_batch, inspection_plan_tier,
      inspection_plan_item, inspection_plan, recusal, inspector_qualification, inspector_profile, inspection_item`);
    await q.query(`DROP FUNCTION inspection_plan_frozen(), plan_draw_input_append_only()`);
  }
}
