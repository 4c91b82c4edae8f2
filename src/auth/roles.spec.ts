import { describe, expect, it } from '@jest/globals';
import { roleFieldProblems } from './roles.js';

describe('roleFieldProblems', () => {
  it('asks a new user for the fields of its role and refuses the fields of other roles', () => {
    expect(
      roleFieldProblems('inspector', { department: 'market', credentialNo: '31011026001' }, true),
    ).toEqual([]);
    expect(roleFieldProblems('inspector', { department: 'market' }, true)).toEqual([
      {
        field: 'credentialNo',
        reason: 'required for role inspector (enforcement credential number 执法证号)',
      },
    ]);
    expect(roleFieldProblems('admin', { uscc: '91310110MA00001978' }, true)).toEqual([
      { field: 'uscc', reason: 'only for role enterprise, not admin' },
    ]);
    expect(roleFieldProblems('enterprise', {}, true).map((p) => p.field)).toEqual(['uscc']);
  });

  it('on a change, refuses fields of other roles but asks for none', () => {
    expect(roleFieldProblems('regulator', {}, false)).toEqual([]);
    expect(roleFieldProblems('regulator', { credentialNo: 'x' }, false)).toEqual([
      { field: 'credentialNo', reason: 'only for role inspector, not regulator' },
    ]);
    expect(roleFieldProblems('enterprise', { department: 'market' }, false)).toEqual([
      { field: 'department', reason: 'only for role regulator or inspector, not enterprise' },
    ]);
  });
});
