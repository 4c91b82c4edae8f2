import { describe, expect, it } from '@jest/globals';
import {
  fileCountProblems,
  fileNameProblem,
  fileProblem,
  MAX_FILE_BYTES,
  MAX_FILES,
  storableFileName,
  storedName,
} from './uploads.js';

describe('repair application uploads', () => {
  it('file names: the shared text check refuses invisible formatting and unstorable characters; long names are cut', () => {
    expect(fileNameProblem('缴款凭证.pdf')).toBeNull();
    expect(fileNameProblem('发票\u202Efdp.exe')).toBe(
      '文件名contains the invisible formatting character U+202E (right-to-left override) at character 3: the text would display other than it is stored',
    );
    expect(fileNameProblem('a\u200Bb.pdf')).toContain('U+200B (zero-width space)');
    expect(fileNameProblem('x\u2066y.pdf')).toContain('U+2066');
    expect(fileNameProblem('a\u0000.pdf')).toContain('NUL');
    expect(fileNameProblem('a\u0007.pdf')).toContain('U+0007');
    // joiners stay (emoji and some scripts need them)
    expect(fileNameProblem('👨\u200D👩.png')).toBeNull();
    expect(storableFileName('')).toBe('file');
    const long = '证'.repeat(179) + '😀😀.pdf';
    expect(storableFileName(long)).toBe('证'.repeat(179) + '😀');
  });
  it('limits: 10 MiB a file, 7 files at most', () => {
    expect(MAX_FILE_BYTES).toBe(10485760);
    expect(MAX_FILES).toBe(7);
  });
  it('types by role: PDF only for the application form; PDF, JPEG, PNG for the others', () => {
    expect(fileProblem('commitmentLetter', 10, 'image/png')).toBeNull();
    expect(fileProblem('proof', 10, 'application/pdf')).toBeNull();
    expect(fileProblem('applicationForm', 10, 'image/png')).toMatchObject({ status: 415 });
    expect(fileProblem('proof', 10, null)).toMatchObject({ status: 415 });
    expect(fileProblem('proof', 10, 'image/gif')).toMatchObject({ status: 415 });
    expect(fileProblem('proof', 0, 'application/pdf')).toMatchObject({
      status: 422,
      reason: '履行义务、消除影响的证明材料是空文件',
    });
  });
  it('a mislabelled file keeps its base name with the extension of its bytes', () => {
    expect(storedName('承诺书.pdf', 'image/png')).toBe('承诺书.png');
    expect(storedName('scan.JPEG', 'image/jpeg')).toBe('scan.JPEG');
    expect(storedName('proof', 'application/pdf')).toBe('proof.pdf');
  });
  it('counts: a commitment letter and at least one proof', () => {
    expect(fileCountProblems({ proof: 1 })).toEqual([
      { field: 'commitmentLetter', reason: '请上传信用承诺书' },
    ]);
    expect(fileCountProblems({ commitmentLetter: 1, proof: 6 }).map((p) => p.field)).toEqual(['proof']);
    expect(fileCountProblems({ commitmentLetter: 1, proof: 1 })).toEqual([]);
  });
});
