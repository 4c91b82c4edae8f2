/**
 * The papers of a repair application (domain.md 3.3: a repair application, a credit commitment
 * letter 信用承诺书, proof of compliance) and what each may be. Pure: no framework imports.
 *
 * The type of a file is sniffed from its bytes (the service uses `file-type`), never taken from
 * its name or the browser's Content-Type. Decided (docs/credit-repair.md "Uploads"):
 * - the application form (申请表, optional) is a filled-in form: PDF only;
 * - the commitment letter (required, one) and the proof (required, 1 to PROOF_MAX) may be a PDF
 *   or a photo or scan (JPEG, PNG);
 * - a file whose name says one type and whose bytes another (承诺书.pdf holding PNG bytes) is
 *   stored as what its bytes are, its name's extension corrected (承诺书.png); where the role
 *   needs a PDF it is refused (415).
 */

import { textProblem } from '../../../common/text-check.js';

/** Multipart field names and the roles stored (repair_application_file.role). */
export const UPLOAD_FIELDS = {
  commitmentLetter: {
    role: 'commitment_letter',
    label: '信用承诺书',
    min: 1,
    max: 1,
    types: ['application/pdf', 'image/jpeg', 'image/png'],
  },
  proof: {
    role: 'proof',
    label: '履行义务、消除影响的证明材料',
    min: 1,
    max: 5,
    types: ['application/pdf', 'image/jpeg', 'image/png'],
  },
  applicationForm: {
    role: 'application_form',
    label: '信用修复申请表',
    min: 0,
    max: 1,
    types: ['application/pdf'],
  },
} as const;
export type UploadField = keyof typeof UPLOAD_FIELDS;

/** Largest file, bytes (10 MiB; repair_application_file.size_bytes). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Most files in one application (the sum of the fields' max). */
export const MAX_FILES = Object.values(UPLOAD_FIELDS).reduce((n, f) => n + f.max, 0);

export const MEDIA_EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

const MEDIA_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
};

/** Longest stored file name, characters (code points): a longer name is cut, not refused. */
export const MAX_FILE_NAME_CHARACTERS = 180;

/**
 * Why a file's name (as the browser sent it) cannot be stored, or null: the shared text check of
 * every free text (common/text-check.ts textProblem: unstorable characters, and invisible
 * formatting characters such as U+202E right-to-left override, which would show 发票‮fdp.exe
 * as 发票exe.pdf on the regulator's screen). Its length is not refused: the name is cut
 * (storableFileName).
 */
export function fileNameProblem(name: string): string | null {
  const p = textProblem(name);
  return p === null ? null : `文件名${p}`;
}

/** The name kept: at most MAX_FILE_NAME_CHARACTERS characters (never half a surrogate pair), 'file' when empty. */
export function storableFileName(name: string): string {
  return Array.from(name || 'file')
    .slice(0, MAX_FILE_NAME_CHARACTERS)
    .join('');
}

/** A file's name with the extension of what its bytes are (承诺书.pdf with PNG bytes -> 承诺书.png). */
export function storedName(name: string, mediaType: string): string {
  const ext = MEDIA_EXTENSIONS[mediaType]!;
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'file';
  const keep = /\.jpe?g$/i.test(name) && ext === 'jpg';
  return keep ? name : `${base}.${ext}`;
}

/**
 * What is wrong with one file of `field`, given its sniffed type (null: not recognised).
 * @returns `{ status: 415 | 422, reason }` in Chinese, or null when it may be stored
 */
export function fileProblem(
  field: UploadField,
  size: number,
  sniffed: string | null,
): { status: 415 | 422; reason: string } | null {
  const spec = UPLOAD_FIELDS[field];
  if (size === 0) return { status: 422, reason: `${spec.label}是空文件` };
  const allowed = spec.types.map((t) => MEDIA_LABELS[t]).join('、');
  if (sniffed === null || !(sniffed in MEDIA_LABELS))
    return { status: 415, reason: `${spec.label}的文件内容不是 ${allowed}（按文件内容识别，不看文件名）` };
  if (!(spec.types as readonly string[]).includes(sniffed))
    return { status: 415, reason: `${spec.label}须为 ${allowed}，该文件内容是 ${MEDIA_LABELS[sniffed]}` };
  return null;
}

/** Missing or surplus files by field, e.g. no commitment letter. @returns one problem per field */
export function fileCountProblems(
  counts: Partial<Record<UploadField, number>>,
): { field: string; reason: string }[] {
  return (Object.keys(UPLOAD_FIELDS) as UploadField[]).flatMap((f) => {
    const n = counts[f] ?? 0;
    const spec = UPLOAD_FIELDS[f];
    if (n < spec.min) return [{ field: f, reason: `请上传${spec.label}` }];
    if (n > spec.max) return [{ field: f, reason: `${spec.label}最多 ${spec.max} 个文件` }];
    return [];
  });
}
