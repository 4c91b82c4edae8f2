import { describe, expect, it } from '@jest/globals';
import { buildUscc } from '../../common/uscc.js';
import { API_FIELDS, CSV_FIELDS, checkRegisterIdentity } from './register-identity.js';

const YANGPU = '91310110MA1G8N5YX5'; // buildUscc('91', '310110', 'MA1G8N5Y')
const badCheck = YANGPU.slice(0, 17) + (YANGPU[17] === 'A' ? 'B' : 'A');

function errors(input: Parameters<typeof checkRegisterIdentity>[0], fields = CSV_FIELDS) {
  const r = checkRegisterIdentity(input, fields);
  if (r.ok) throw new Error('accepted ' + JSON.stringify(input));
  return r.errors;
}
function identity(input: Parameters<typeof checkRegisterIdentity>[0], fields = CSV_FIELDS) {
  const r = checkRegisterIdentity(input, fields);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.identity;
}

describe('register identity: USCC, registration number, division (issue 9)', () => {
  it('keeps a valid market-entity code, normalised, with nothing to review', () => {
    expect(identity({ uscc: ` ${YANGPU.toLowerCase()}\u200b`, divisionCode: '310110' })).toEqual({
      uscc: YANGPU,
      registrationNo: null,
      checkCharFailed: false,
      divisionMismatch: false,
      warnings: [],
    });
  });

  it('refuses a code failing only its check character, unless asked to keep it flagged', () => {
    expect(errors({ uscc: badCheck })).toEqual([
      { field: 'uscc', reason: expect.stringContaining('position 18: check character') },
    ]);
    const kept = identity({ uscc: badCheck.toLowerCase(), acceptBadCheckChar: true });
    expect(kept.uscc).toBe(badCheck);
    expect(kept.checkCharFailed).toBe(true);
    expect(kept.warnings).toEqual([
      { field: 'uscc', reason: expect.stringMatching(/^kept for review: USCC position 18/) },
    ]);
  });

  it('the option keeps nothing else: a wrong length or alphabet is still refused', () => {
    expect(errors({ uscc: YANGPU.slice(0, 17), acceptBadCheckChar: true })[0]!.reason).toMatch(
      /18 characters/,
    );
    expect(errors({ uscc: YANGPU.replace('G', 'O'), acceptBadCheckChar: true })[0]!.reason).toMatch(/'O'/);
  });

  it('the option still applies the authority and division rules', () => {
    const state = buildUscc('11', '310110', 'MA1G8N5Y');
    const bad = state.slice(0, 17) + (state[17] === '0' ? '1' : '0');
    expect(errors({ uscc: bad, acceptBadCheckChar: true })[0]!.reason).toMatch(/'11' is a 机关/);
  });

  it('refuses organs of state (authority 1) and keeps 52 民办非企业单位', () => {
    expect(errors({ uscc: buildUscc('12', '310110', 'MA1G8N5Y') })[0]!.reason).toMatch(/'12' is a 事业单位/);
    expect(identity({ uscc: buildUscc('52', '310110', 'MA1G8N5Y') }).uscc).toMatch(/^52/);
  });

  it('refuses a USCC whose positions 3-8 are no division, keeps a historical one', () => {
    expect(errors({ uscc: buildUscc('91', '310199', 'MA1G8N5Y') })).toEqual([
      {
        field: 'uscc',
        reason: "USCC positions 3-8: '310199' is not an administrative division of the GB/T 2260 list",
      },
    ]);
    expect(identity({ uscc: buildUscc('91', '310108', 'MA1G8N5Y') }).warnings).toEqual([]);
  });

  it('accepts a registration number that agrees with the USCC division', () => {
    expect(identity({ uscc: YANGPU, registrationNo: '３１０１１０000000015' }).registrationNo).toBe(
      '310110000000015',
    );
    // the city's bureau registered it: 310000 contains 310110
    expect(identity({ uscc: YANGPU, registrationNo: '310000400000017' }).warnings).toEqual([]);
  });

  it('refuses a registration number that fails its check digit or names another current division', () => {
    expect(errors({ uscc: YANGPU, registrationNo: '310110000000016' }, API_FIELDS)).toEqual([
      { field: 'registrationNo', reason: expect.stringContaining("should be '5', got '6'") },
    ]);
    expect(errors({ uscc: YANGPU, registrationNo: '370100200000124' })).toEqual([
      {
        field: 'registration_no',
        reason:
          "registration number's authority division 370100 山东省济南市 disagrees with the USCC's division (positions 3-8) 310110 上海市杨浦区",
      },
    ]);
  });

  it('keeps with a warning a registration number of a district merged since (闸北 310108, now 静安 310106)', () => {
    const jingan = buildUscc('91', '310106', 'MA1G8N5Y');
    const r = identity({ uscc: jingan, registrationNo: '310108000123455' });
    expect(r.registrationNo).toBe('310108000123455');
    expect(r.warnings).toEqual([
      {
        field: 'registration_no',
        reason: expect.stringContaining('310108 上海市闸北区 (historical) disagrees'),
      },
    ]);
  });

  it('flags, never refuses, a division column that disagrees with the code', () => {
    const r = identity({ uscc: YANGPU, divisionCode: '310115' });
    expect(r.divisionMismatch).toBe(true);
    expect(r.warnings).toEqual([
      {
        field: 'division_code',
        reason:
          "kept for review: division 310115 上海市浦东新区 disagrees with the USCC's division (positions 3-8) 310110 上海市杨浦区",
      },
    ]);
    expect(
      identity({ uscc: buildUscc('91', '310000', 'MA1G8N5Y'), divisionCode: '310110' }).divisionMismatch,
    ).toBe(false);
    expect(identity({ uscc: YANGPU, divisionCode: null }).divisionMismatch).toBe(false);
  });

  it('reports every problem at once', () => {
    expect(
      errors({ uscc: buildUscc('11', '310199', 'MA1G8N5Y'), registrationNo: '12' }).map((e) => e.field),
    ).toEqual(['uscc', 'uscc', 'registration_no']);
  });
});
