import { describe, expect, it } from '@jest/globals';
import { checkRegisterRow } from './register-row.js';

const YANGPU = '91310110MA1G8N5YX5';

describe('register row: identity columns (issue 9)', () => {
  it('normalises the code, keeps a valid registration number, warns about a disagreeing division', () => {
    const r = checkRegisterRow({
      uscc: `\ufeff${YANGPU.toLowerCase()}\u3000`,
      name: '甲',
      registration_no: '310110000000015',
      division_code: '310115',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.row).toMatchObject({
      uscc: YANGPU,
      registrationNo: '310110000000015',
      divisionCode: '310115',
      divisionMismatch: true,
      usccCheckCharFailed: false,
    });
    expect(r.warnings.map((w) => w.field)).toEqual(['division_code']);
  });

  it('a check-character failure is an error, or a flag with acceptBadCheckChar', () => {
    const bad = { uscc: YANGPU.slice(0, 17) + '6', name: '乙' };
    const refused = checkRegisterRow(bad);
    expect(refused.ok).toBe(false);
    const kept = checkRegisterRow(bad, { acceptBadCheckChar: true });
    expect(kept.ok && kept.row.usccCheckCharFailed).toBe(true);
  });

  it('identity errors come first, with the other fields', () => {
    const r = checkRegisterRow({ uscc: '110101199003012209', name: '', registration_no: '1234' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['uscc', 'uscc', 'registration_no', 'name']);
  });

  it('a malformed division column is an error of its own and is not compared', () => {
    const r = checkRegisterRow({ uscc: YANGPU, name: '丙', division_code: '3101' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([{ field: 'division_code', reason: "'3101' is not 6 digits (GB/T 2260)" }]);
  });
});

describe('register row: establishment date', () => {
  it('refuses a date after today (a market entity is established before it is registered), keeps today', () => {
    const row = (established_on: string) =>
      checkRegisterRow({ uscc: YANGPU, name: '丁', established_on }, { today: '2026-12-01' });
    const later = row('2026-12-02');
    expect(later.ok).toBe(false);
    if (!later.ok)
      expect(later.errors).toEqual([
        { field: 'established_on', reason: '2026-12-02 is in the future (today is 2026-12-01)' },
      ]);
    expect(row('2026-12-01').ok).toBe(true);
    expect(row('2099年1月').ok).toBe(false);
  });
});
