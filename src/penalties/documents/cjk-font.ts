/**
 * The Chinese font the PDFs are written in: Noto Sans SC (SIL OFL 1.1) from the npm package
 * @expo-google-fonts/noto-sans-sc, so `npm ci` brings it and a fresh machine needs nothing else
 * (stack-notes.md). The path is resolved from the installed package (createRequire), so it works
 * from src (tests) and dist alike; the bytes (about 10 MB a weight) are read once per process and
 * parsed once with fontkit (pdfkit's own dependency) for the glyph check.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The part of a fontkit font the glyph check uses. */
export interface GlyphFont {
  familyName: string;
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** The two weights: bytes for pdfkit to embed, parsed fonts for the glyph check. */
export interface CjkFonts {
  family: string;
  regular: Buffer;
  bold: Buffer;
  regularGlyphs: GlyphFont;
  boldGlyphs: GlyphFont;
}

const PACKAGE = '@expo-google-fonts/noto-sans-sc';
const FILES = { regular: '400Regular/NotoSansSC_400Regular.ttf', bold: '700Bold/NotoSansSC_700Bold.ttf' };

let loaded: CjkFonts | undefined;

/** The font files' paths in the installed package. @throws Error naming the package when it is not installed */
export function cjkFontPaths(): { regular: string; bold: string } {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch {
    throw new Error(`the PDF font package ${PACKAGE} is not installed: run npm ci`);
  }
  return { regular: path.join(dir, FILES.regular), bold: path.join(dir, FILES.bold) };
}

/** The fonts, read and parsed on first use and kept for the process. @throws Error when a file is missing */
export function cjkFonts(): CjkFonts {
  if (loaded) return loaded;
  const paths = cjkFontPaths();
  const require = createRequire(import.meta.url);
  // fontkit as pdfkit resolves it (pdfkit's dependency, not ours)
  const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as {
    create(buffer: Buffer): GlyphFont;
  };
  const regular = readFileSync(paths.regular);
  const bold = readFileSync(paths.bold);
  const regularGlyphs = fontkit.create(regular);
  loaded = {
    family: regularGlyphs.familyName,
    regular,
    bold,
    regularGlyphs,
    boldGlyphs: fontkit.create(bold),
  };
  return loaded;
}
