/**
 * Whether an SVG may be handed to librsvg: nothing in it may reach outside its
 * own bytes (files, the network, entity expansion, script). librsvg's own
 * guards depend on its version and on how it is called, so this check does not
 * rely on them. It is a strict scan, not a parser: it refuses anything that
 * might reach out, and never tries to repair a file, because a repair that
 * misreads the XML could leave a way out open. A refusal can be a false
 * alarm (a `url(` in a text node); it is never a miss of a reference the
 * XML parser would see, since the scan reads the whole text, every context.
 */
export type SvgVerdict = { safe: true } | { safe: false; reason: string };

/** Raster pictures an SVG may embed as data: URIs; an embedded SVG would bring its own references. */
const EMBEDDED_PICTURE = /^data:image\/(png|jpeg|gif|webp)[;,]/i;
const FRAGMENT = /^#/;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * The text as the XML parser will see attribute values and styles: character
 * references and the five predefined entities written out, so that
 * `&#102;ile:` reads as `file:`.
 */
function withReferencesResolved(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const allowedReference = (value: string) => FRAGMENT.test(value) || EMBEDDED_PICTURE.test(value);

/**
 * A namespace prefix as XML allows it: any name characters, letters of every
 * script included (`é:href` is an xlink:href to the parser). Wider than XML's
 * names, so a scan never misses one.
 */
const PREFIX = String.raw`(?:[^\s<>/=:"']+:)?`;

/** The only external DTDs passed: the W3C's SVG identifiers, which SVG editors write and no renderer fetches. */
const W3C_SVG_DTD = /^<!DOCTYPE\s+svg\s+PUBLIC\s+"-\/\/W3C\/\/DTD SVG [\d.]+( Tiny| Basic)?\/\/EN"\s+"http:\/\/www\.w3\.org\/Graphics\/SVG\/[\d.]+\/DTD\/svg[\w-]*\.dtd"\s*>$/i;

/** Constructs refused wherever they appear, each with why. */
const REFUSED: [RegExp, string][] = [
  [/<!ENTITY/i, 'it declares entities'],
  [/<!DOCTYPE[^>]*\[/i, 'its DOCTYPE has an internal subset'],
  [/<\?xml-stylesheet/i, 'it names an external style sheet'],
  [new RegExp(`<${PREFIX}script\\b`, 'iu'), 'it holds a script'],
  [new RegExp(`<${PREFIX}foreignObject\\b`, 'iu'), 'it holds a foreignObject'],
  [new RegExp(`<${PREFIX}include\\b`, 'iu'), 'it includes other files (XInclude)'],
  [/@import\b/i, 'its style imports another style sheet'],
];

/** A DOCTYPE naming a DTD outside the file, but for the W3C's own. */
function externalDtd(text: string): string | undefined {
  const doctype = /<!DOCTYPE[^>]*>/i.exec(text)?.[0];
  return doctype && /\b(SYSTEM|PUBLIC)\b/i.test(doctype) && !W3C_SVG_DTD.test(doctype) ? doctype : undefined;
}

/** Every value of an attribute named href, xlink:href (any prefix) or src. */
function referencesIn(text: string): string[] {
  const attribute = new RegExp(`(?:^|[\\s"'])${PREFIX}(?:href|src)\\s*=\\s*("[^"]*"|'[^']*')`, 'giu');
  return [...text.matchAll(attribute)].map((match) => match[1]!.slice(1, -1).trim());
}

/** Every url(…) target in styles and presentation attributes, without its quotes. */
function urlsIn(text: string): string[] {
  return [...text.matchAll(/url\s*\(\s*("[^"]*"|'[^']*'|[^)]*)\)/gi)].map((match) => match[1]!.replace(/^["']|["']$/g, '').trim());
}

/**
 * CSS escapes (u\72l(…), @\69mport) would hide a reference from this scan.
 * Styles are in style elements and in attribute values (presentation
 * attributes are CSS too); a backslash in a text node is harmless.
 */
function cssEscapes(text: string): boolean {
  const inAttribute = /=\s*("[^"]*\\[^"]*"|'[^']*\\[^']*')/.test(text);
  const styleElements = text.match(new RegExp(`<${PREFIX}style\\b[\\s\\S]*?<\\/${PREFIX}style\\s*>`, 'giu')) ?? [];
  return inAttribute || styleElements.some((element) => element.includes('\\'));
}

/** Encodings other than UTF-8 could hide from a scan of the UTF-8 text what the parser will read. */
function encodingProblem(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return 'it is not UTF-8 text (it holds NUL bytes)';
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
  if (declared && !/^(utf-8|us-ascii)$/i.test(declared)) return `it declares the encoding ${declared}; only UTF-8 is read`;
  return undefined;
}

/** Decides whether an SVG's bytes are safe to render; see the module comment. */
export function checkSvg(bytes: Buffer): SvgVerdict {
  const problem = encodingProblem(bytes);
  if (problem) return { safe: false, reason: problem };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { safe: false, reason: 'it is not UTF-8 text' };
  }
  if (!/<([\w.-]+:)?svg\b/.test(text)) return { safe: false, reason: 'it has no <svg> element' };
  const resolved = withReferencesResolved(text);
  for (const [pattern, reason] of REFUSED) if (pattern.test(resolved)) return { safe: false, reason };
  const dtd = externalDtd(resolved);
  if (dtd) return { safe: false, reason: `its DOCTYPE names a DTD outside the file (${dtd.slice(0, 100)})` };
  if (cssEscapes(resolved)) return { safe: false, reason: 'its styles have backslashes, which CSS reads as escapes' };
  const outside = [...referencesIn(resolved), ...urlsIn(resolved)].find((value) => !allowedReference(value));
  if (outside !== undefined) return { safe: false, reason: `it refers to ${JSON.stringify(outside.slice(0, 100))}, outside the file` };
  return { safe: true };
}
