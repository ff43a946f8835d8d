import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import { DOCUMENT_TEXT_MAX_BYTES, type PayloadOf } from '../schemas/events';
import type { DecodedImage } from './decodedImage';
import { InvalidMediaError, type Processor, type ProcessorInput, type ProcessorResult } from './processor';
import { renditionsOf, type RenditionOptions } from './renditions';
import { checkSvg } from './svgSafety';

type DocumentKind = 'pdf' | 'svg';
type DocumentText = PayloadOf<'DocumentTextExtracted'>;

/** file-type has no SVG signature: an SVG is ingested as XML, or as bytes it cannot name, under its own name. */
const SVG_AS_SNIFFED = new Set(['image/svg+xml', 'application/xml', 'text/xml', 'application/octet-stream']);

export function documentKindOf(ingested: PayloadOf<'AssetIngested'>): DocumentKind | undefined {
  if (ingested.mimeType === 'application/pdf') return 'pdf';
  // file-type looks for %PDF at the very start; pdf.js also reads a PDF with bytes before it, and says why when the file is no PDF.
  if (/\.pdf$/i.test(ingested.originalName) && ingested.mimeType === 'application/octet-stream') return 'pdf';
  if (ingested.mimeType === 'image/svg+xml') return 'svg';
  if (/\.svg$/i.test(ingested.originalName) && SVG_AS_SNIFFED.has(ingested.mimeType)) return 'svg';
  return undefined;
}

/** pdf.js's data files, read from the package on disk: nothing is fetched. */
const PDFJS_DIRECTORY = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const pdfjsData = (folder: string) => `${join(PDFJS_DIRECTORY, folder)}/`;

/**
 * The part of pdf.js's canvas factory used here (its declared type is Object):
 * in Node it makes @napi-rs/canvas canvases, whose DOM types this project does not load.
 */
type RenderParameters = Parameters<Awaited<ReturnType<PdfDocument['getPage']>>['render']>[0];
interface CanvasFactory {
  create(width: number, height: number): {
    canvas: RenderParameters['canvas'];
    context: RenderParameters['canvasContext'] & { getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray } };
  };
}

/** Loaded at the first PDF, so a lake that never sees one does not load pdf.js. */
async function openPdf(bytes: Buffer, maxInputPixels: number) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: pdfjsData('standard_fonts'),
    cMapUrl: pdfjsData('cmaps'),
    wasmUrl: pdfjsData('wasm'),
    // An embedded picture larger than an image original may be is a decompression bomb here too.
    maxImageSize: maxInputPixels,
    isEvalSupported: false,
    verbosity: 0,
  });
  return task.promise.catch((error: Error) => {
    const code = error.name === 'PasswordException' ? 'ENCRYPTED_DOCUMENT' : 'UNREADABLE_DOCUMENT';
    throw new InvalidMediaError(code, `the PDF cannot be read: ${error.message}`);
  });
}
type PdfDocument = Awaited<ReturnType<typeof openPdf>>;

/** Page 1, white behind, inside the proxy's box: the renditions are made from it as from an image's decode. */
async function renderFirstPage(pdf: PdfDocument, box: number): Promise<DecodedImage> {
  const page = await pdf.getPage(1);
  const { width, height } = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: box / Math.max(width, height) });
  const size = { width: Math.max(1, Math.round(viewport.width)), height: Math.max(1, Math.round(viewport.height)) };
  const { canvas, context } = (pdf.canvasFactory as CanvasFactory).create(size.width, size.height);
  await page.render({ canvas, canvasContext: context, viewport }).promise;
  const pixels = context.getImageData(0, 0, size.width, size.height).data;
  return { data: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), ...size, channels: 4 };
}

/**
 * One page's words as reading order gives them. pdf.js gives the spaces
 * between words as text of their own, and a new item where the font changes,
 * inside a word too (a bold or drop-cap first letter): items are joined as
 * they come. Control characters (useless to search, costly to escape in JSON)
 * become spaces.
 */
async function pageText(pdf: PdfDocument, number: number): Promise<string> {
  const content = await (await pdf.getPage(number)).getTextContent();
  const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
  return text
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** The first `maxBytes` of UTF-8 of a text, cut between characters. */
function cutAt(text: string, maxBytes: number): string {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}

/** Every page's text, until the cap: pages past it are not read at all. */
async function documentText(pdf: PdfDocument): Promise<DocumentText> {
  let text = '';
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pageText(pdf, number);
    const next = text && page ? `${text}\n\n${page}` : text || page;
    if (Buffer.byteLength(next) > DOCUMENT_TEXT_MAX_BYTES) {
      return { text: cutAt(next, DOCUMENT_TEXT_MAX_BYTES), pages: pdf.numPages, truncated: true };
    }
    text = next;
  }
  return { text, pages: pdf.numPages, truncated: false };
}

async function readPdf(bytes: Buffer, options: RenditionOptions): Promise<{ firstPage: DecodedImage; text: DocumentText }> {
  const pdf = await openPdf(bytes, options.maxInputPixels);
  try {
    const firstPage = await renderFirstPage(pdf, options.proxySize);
    return { firstPage, text: await documentText(pdf) };
  } catch (error) {
    // Broken pages are bad input: pdf.js has already parsed the file, so nothing passing (no I/O) failed.
    throw new InvalidMediaError('UNREADABLE_DOCUMENT', `the PDF cannot be rendered: ${(error as Error).message}`);
  } finally {
    await pdf.destroy();
  }
}

/** sharp's densities: vectors are drawn at the scale that fills the proxy's box, not at their nominal size. */
const DENSITY = { nominal: 72, min: 1, max: 100_000 };

/** A checked SVG (processors/svgSafety.ts) drawn by librsvg inside the proxy's box; an unsafe one is refused as bad input. */
async function rasterizeSvg(bytes: Buffer, options: RenditionOptions): Promise<DecodedImage> {
  const verdict = checkSvg(bytes);
  if (!verdict.safe) throw new InvalidMediaError('UNSAFE_SVG', `the SVG is not rendered: ${verdict.reason}`);
  const limitInputPixels = options.maxInputPixels;
  try {
    // Its stated size, read without drawing it: a plan stated at 12000 × 9000 is drawn inside the box all the same, under the pixel limit.
    const nominal = await sharp(bytes, { limitInputPixels: false }).metadata();
    const scale = options.proxySize / Math.max(nominal.width ?? 1, nominal.height ?? 1);
    const density = Math.min(DENSITY.max, Math.max(DENSITY.min, DENSITY.nominal * scale));
    const { data, info } = await sharp(bytes, { density, limitInputPixels, failOn: 'error' })
      .resize({ width: options.proxySize, height: options.proxySize, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw new InvalidMediaError('UNREADABLE_SVG', `the SVG cannot be rendered: ${(error as Error).message}`);
  }
}

/**
 * Documents: PDFs (pdf.js renders page 1 and reads every page's text) and
 * SVGs (checked, then drawn by librsvg). A thumbnail and a proxy like an
 * image's; a PDF's text and page count in DocumentTextExtracted.
 */
export function documentsProcessor(options: RenditionOptions): Processor {
  return {
    name: 'documents',
    // 2: a PDF's text items joined as pdf.js gives them (a word in two fonts was two words).
    version: '2',
    accepts: (event) => event.type === 'AssetIngested' && documentKindOf(event.payload) !== undefined,
    async process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult> {
      if (event.type !== 'AssetIngested') return { events: [] };
      const bytes = await input.original();
      if (bytes.length === 0) throw new InvalidMediaError('EMPTY_FILE', 'the file is empty');
      if (documentKindOf(event.payload) === 'svg') return renditionsOf(event.assetId, await rasterizeSvg(bytes, options), options);
      const { firstPage, text } = await readPdf(bytes, options);
      const renditions = await renditionsOf(event.assetId, firstPage, options);
      return { ...renditions, events: [...renditions.events, { type: 'DocumentTextExtracted', payload: text }] };
    },
  };
}
