/**
 * Files a release links to (content/links.ts says which: PDF, DOCX, XLSX …), as its page lists them. The
 * files themselves are named and copied with the images (images.ts), under assets/files/.
 */

/** A linked file the release page lists. */
export interface Attachment {
  /** File name as in the project. */
  name: string;
  /** "PDF", "XLSX" … */
  type: string;
  /** In bytes. */
  size: number;
  /** Output path of the copy. */
  out: string;
}

/** "1,2 MB" in Swedish, "1.2 MB" in English. */
export function humanSize(bytes: number, lang: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  const number = new Intl.NumberFormat(lang, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
  return `${number.format(value)} ${units[unit]}`;
}
