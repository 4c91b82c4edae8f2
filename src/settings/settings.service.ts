import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { IDLE_MINUTES } from '../auth/rules/session-rules.js';
import { NO_FINDING_STREAK } from '../inspections/rules/frequency-alerts.js';
import { EVENT_TASK_WINDOW_DAYS, TRIGGER_MERGE_WINDOW_DAYS } from '../inspections/rules/trigger-merge.js';
import { unprocessable } from '../http/api-errors.js';
import {
  CHECK_CODE_MAX_DAYS,
  RATING_DELAY_DAYS,
  RATING_MIN_GROUP,
} from '../check-codes/rules/check-code-rules.js';
import { SettingsView, UpdateSettingsDto } from './dto/settings.dto.js';

/** Every setting with its default (a key absent from bureau_setting has it). */
export const SETTING_DEFAULTS: SettingsView = {
  sessionIdleMinutes: IDLE_MINUTES.default,
  enterpriseTierVisible: false,
  triggerMergeWindowDays: TRIGGER_MERGE_WINDOW_DAYS.default,
  eventTaskWindowDays: EVENT_TASK_WINDOW_DAYS.default,
  inspectorNoFindingStreak: NO_FINDING_STREAK.default,
  checkCodeMaxDays: CHECK_CODE_MAX_DAYS.default,
  ratingMinGroup: RATING_MIN_GROUP.default,
  ratingDelayDays: RATING_DELAY_DAYS.default,
};

/** How long a read of the settings is reused, milliseconds (another instance's change shows after at most this). */
export const SETTINGS_CACHE_MS = 5_000;

/**
 * Bureau-wide settings (table bureau_setting), changed by an admin and audited (`setting.update`).
 * Read on every cookie request (idle timeout) and by enterprise users' credit answers, so a read is
 * kept for SETTINGS_CACHE_MS; a change made through this instance is seen at once.
 */
@Injectable()
export class SettingsService {
  private cached: { at: number; value: Promise<SettingsView> } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The settings now (defaults for keys never set). */
  get(): Promise<SettingsView> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > SETTINGS_CACHE_MS) {
      const value = this.read(this.dataSource.manager);
      // a failed read is not kept
      value.catch(() => (this.cached = null));
      this.cached = { at: now, value };
    }
    return this.cached.value.then((v) => ({ ...v }));
  }

  private async read(m: { query: DataSource['query'] }): Promise<SettingsView> {
    const rows: { key: string; value: unknown }[] = await m.query(`SELECT key, value FROM bureau_setting`);
    const out: SettingsView = { ...SETTING_DEFAULTS };
    for (const r of rows)
      if (r.key in out && typeof r.value === typeof out[r.key as keyof SettingsView])
        (out as unknown as Record<string, unknown>)[r.key] = r.value;
    return out;
  }

  /**
   * Changes the settings given (validated by UpdateSettingsDto: 422 by field) and writes one
   * audit entry `setting.update` with the values before and after, in the same transaction.
   * @throws 422 when no setting is given
   * @returns every setting after the change
   */
  async update(dto: UpdateSettingsDto, actor: Actor): Promise<SettingsView> {
    const changes = Object.entries(dto).filter(([k, v]) => k in SETTING_DEFAULTS && v !== undefined);
    if (!changes.length)
      throw unprocessable(
        Object.keys(SETTING_DEFAULTS).map((field) => ({
          field,
          reason: 'give at least one setting to change',
        })),
      );
    const after = await this.dataSource.transaction(async (m) => {
      // one change at a time: the audit entry's before is the state the change replaced
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('bureau_setting'))`);
      const before = await this.read(m);
      for (const [key, value] of changes)
        await m.query(
          `INSERT INTO bureau_setting (key, value, updated_at, updated_by) VALUES ($1, $2::jsonb, now(), $3)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
          [key, JSON.stringify(value), actor.userId],
        );
      const next = await this.read(m);
      await appendAudit(sqlOf(m), actor, {
        action: 'setting.update',
        entityType: 'bureau_setting',
        entityId: changes.map(([k]) => k).join(','),
        before,
        after: next,
      });
      return next;
    });
    this.cached = null;
    return after;
  }
}
