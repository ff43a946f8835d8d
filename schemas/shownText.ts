/**
 * Characters that hide or disguise text where it is shown or downloaded:
 * control characters (a bell, a tab, a newline) and those that override its
 * direction (`photo\u202Egpj.exe` shows as `photoexe.jpg`).
 */
const DISGUISING = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** The same, but for line feeds and tabs: the shape of a text of many lines (a comment). */
const DISGUISING_LINES = /(?![\n\t])[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** Text of one line as the lake keeps and shows it (a file's name, a media tag's title): without disguising characters. */
export function undisguised(text: string): string {
  return text.replace(DISGUISING, '');
}

/** Text of many lines (a media tag's comment): without disguising characters, its line feeds and tabs kept. */
export function undisguisedLines(text: string): string {
  return text.replace(DISGUISING_LINES, '');
}
