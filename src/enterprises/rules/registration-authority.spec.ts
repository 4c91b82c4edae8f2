import { describe, expect, it } from '@jest/globals';
import { buildUscc, parseUscc } from '../../common/uscc.js';
import { ENTITY_CLASSES, entityClassOf, registerRefusesClass } from './registration-authority.js';

describe('registration authority and entity type (GB 32100-2015 positions 1-2)', () => {
  it.each(['91', '92', '93', '52'])('the register keeps %s', (prefix) => {
    expect(registerRefusesClass(buildUscc(prefix, '310110', 'MA1FL8Q2'))).toBeUndefined();
  });

  it.each([
    ['11', '机关'],
    ['12', '事业单位'],
    ['51', '社会团体'],
    ['53', '基金会'],
    ['31', '律师执业机构'],
    ['71', '宗教活动场所'],
    ['81', '基层工会'],
    ['N2', '村级集体经济组织'],
    ['Y1', '其他'],
  ])('refuses %s (%s), naming what it is', (prefix, type) => {
    const reason = registerRefusesClass(buildUscc(prefix, '310110', 'MA1FL8Q2'));
    expect(reason).toContain(`'${prefix}' is a ${type}`);
    expect(reason).toContain('it keeps 52, 91, 92, 93');
  });

  it('refuses a pair no authority has', () => {
    expect(registerRefusesClass(buildUscc('94', '310110', 'MA1FL8Q2'))).toMatch(
      /'94' is no registration authority/,
    );
    expect(entityClassOf('94')).toBeUndefined();
  });

  it('only 91, 92, 93 and 52 are kept, every prefix once', () => {
    expect(ENTITY_CLASSES.filter((c) => c.kept).map((c) => c.prefix)).toEqual(['52', '91', '92', '93']);
    expect(new Set(ENTITY_CLASSES.map((c) => c.prefix)).size).toBe(ENTITY_CLASSES.length);
  });

  it('a resident ID number that passes both USCC check characters is refused by its authority 1', () => {
    // found by searching 110101 + 19900301..28 + sequence for a number whose resident-ID check
    // (GB 11643, ISO 7064 MOD 11-2) is right and that also passes both USCC check characters
    const residentId = '110101199003012209';
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...residentId.slice(0, 17)].reduce((a, c, i) => a + Number(c) * w[i]!, 0);
    expect('10X98765432'[sum % 11]).toBe(residentId[17]);
    expect(parseUscc(residentId)).toBe(residentId);
    expect(registerRefusesClass(residentId)).toMatch(/'11' is a 机关 registered by 机构编制/);
  });
});
