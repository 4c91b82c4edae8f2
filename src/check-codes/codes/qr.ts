import QRCode from 'qrcode';

/**
 * QR images of a code's verification URL (issue 12 "QR as PNG and SVG (a maintained library)"):
 * npm `qrcode`, error correction level Q (25 % of the symbol restorable: a creased or partly
 * covered print still scans), a quiet zone of 4 modules (ISO/IEC 18004). The URL is upper-cased by
 * CodesService.verifyUrl, so the library's segmentation puts it in alphanumeric mode (5.5 bits a
 * character).
 */
export const QR_OPTIONS = { errorCorrectionLevel: 'Q', margin: 4 } as const;

/** Pixels per module of the PNG (a version-10 symbol with its margin: 65 modules, 520 px). */
export const QR_PNG_SCALE = 8;

/** The PNG of a URL. */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', scale: QR_PNG_SCALE });
}

/** The SVG of a URL (scales to any size; dark modules black on white). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { ...QR_OPTIONS, type: 'svg' });
}

/** The symbol a URL makes: version (1-40), modules a side without the margin, and the segments' modes. */
export function qrSymbol(url: string): { version: number; modules: number; modes: string[] } {
  const q = QRCode.create(url, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel });
  return {
    version: q.version,
    modules: q.modules.size,
    modes: q.segments.map((s) => String((s as unknown as { mode: { id: string } }).mode.id)),
  };
}
