import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 (fix slice F): a document is served on or after the day it was decided. The API refuses
 * a delivery dated before its decision (penalty-decision-input.ts checkLaterDelivery); this
 * trigger holds the same rule for every writer (the demo loader, a CLI, SQL), since a delivery
 * before the decision would count as served and open the enterprise's time limits (复议 60 days,
 * 诉讼 6 months) before the decision existed.
 */
export class DeliveryNotBeforeDecision1765756800600 implements MigrationInterface {
  name = 'DeliveryNotBeforeDecision1765756800600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION document_delivery_not_before_decision() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE decided date;
      BEGIN
        SELECT decision_date INTO decided FROM penalty_decision WHERE id = NEW.decision_id;
        IF decided IS NOT NULL AND NEW.delivered_on < decided THEN
          RAISE EXCEPTION 'document_delivery: delivered_on % is before the decision date %', NEW.delivered_on, decided
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER document_delivery_not_before_decision BEFORE INSERT OR UPDATE OF delivered_on, decision_id
         ON document_delivery FOR EACH ROW EXECUTE FUNCTION document_delivery_not_before_decision()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER document_delivery_not_before_decision ON document_delivery`);
    await q.query(`DROP FUNCTION document_delivery_not_before_decision()`);
  }
}
