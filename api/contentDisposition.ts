/** The bytes an RFC 8187 ext-value may hold as they are (attr-char); every other byte is percent-encoded. */
const ATTR_CHAR = /^[A-Za-z0-9!#$&+.^_`|~-]$/;

const percentEncoded = (text: string) =>
  [...Buffer.from(text)]
    .map((byte) => String.fromCharCode(byte))
    .map((char) => (ATTR_CHAR.test(char) ? char : `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

/**
 * Content-Disposition for a download under the file's own name (RFC 6266):
 * `filename*` carries the name whole, as UTF-8; `filename` an ASCII stand-in
 * for clients that know only that: letters without their accents ("Köln"
 * as "Koln"), and one "_" for each other character outside ASCII (an emoji
 * too). Quotes, backslashes and "%" (which some clients decode) are left out
 * of the stand-in.
 */
export function attachment(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${percentEncoded(name)}`;
}
