import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { documentsProcessor } from '../../processors/documents';
import { isInvalidMedia } from '../../processors/processor';
import { runProcessor } from '../../processors/runner';
import { inputOf } from '../../processors/readOnce';
import type { EventDraft, StoredEvent } from '../../schemas/envelope';
import { LocalDirectoryStore } from '../../storage/localDirectory';
import { ingestedDraft } from '../support/events';
import { writeFileSync } from 'node:fs';
import { ingestDirectory } from '../../producers/directory';
import { ingestContext, lakeOverFolder, openTestLake } from '../support/lake';
import { SearchQuery } from '../../projections/search/searchIndex';
import { temporaryDirectory } from '../support/fixtures';

const options = { thumbnailSize: 256, proxySize: 1280, maxInputPixels: 100_000_000, watermark: { gravity: 'southeast', opacity: 0.8 } as const };

/**
 * A valid PDF, written by hand, US Letter: one page of Helvetica text per
 * string, or of the content stream given (fonts F1 Helvetica, F2 Helvetica-Bold).
 */
function pdfOf(pages: (string | { content: string })[]): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${5 + 2 * i} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>',
  ];
  pages.forEach((page, i) => {
    const content = typeof page === 'string' ? `BT /F1 48 Tf 72 600 Td (${page}) Tj ET` : page.content;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${6 + 2 * i} 0 R >>`);
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

function ingestedAs(originalName: string, mimeType: string): StoredEvent {
  const ingested = ingestedDraft('asset-doc');
  const payload = { ...ingested.payload, originalName, mimeType, mediaType: 'document' };
  return { ...ingested, payload, assetVersion: 1, partition: '0', offset: '0' } as StoredEvent;
}

const processDocument = (bytes: Buffer, event: StoredEvent) =>
  documentsProcessor(options).process(event, inputOf(bytes, { maxInputPixels: options.maxInputPixels, box: options.proxySize }));

/** Grey level of the darkest pixel: a blank page is white, a page with text is not. */
async function darkest(image: Buffer): Promise<number> {
  const { channels } = await sharp(image).greyscale().stats();
  return channels[0]!.min;
}

describe('the documents processor', () => {
  it('gives a PDF a thumbnail and a proxy of page 1, the text of every page and the page count', async () => {
    const result = await processDocument(pdfOf(['Quarterly report', 'Appendix zebra']), ingestedAs('report.pdf', 'application/pdf'));
    expect(result.events.map((e) => e.type)).toEqual(['RenditionCreated', 'RenditionCreated', 'DocumentTextExtracted']);
    const [thumbnail, proxy, text] = result.events.map((e) => e.payload);
    expect(thumbnail).toMatchObject({ name: 'thumbnail', mimeType: 'image/webp', height: 256, width: 198 });
    expect(proxy).toMatchObject({ name: 'proxy', mimeType: 'image/jpeg', height: 1280, width: 989 });
    expect(text).toEqual({ text: 'Quarterly report\n\nAppendix zebra', pages: 2, truncated: false });
    expect(await darkest(result.objects![0]!.body)).toBeLessThan(100);
  });

  it("reads a word whose first letter is in another font as one word, and words set apart as two", async () => {
    const dropCap = { content: 'BT /F2 48 Tf 72 600 Td (L) Tj /F1 48 Tf (ighthouse keepers log) Tj ET' };
    const apart = { content: 'BT /F1 24 Tf 72 600 Td (Harbour) Tj 120 0 Td (master) Tj 0 -40 Td (Tide) Tj ET' };
    const result = await processDocument(pdfOf([dropCap, apart]), ingestedAs('log.pdf', 'application/pdf'));
    expect(result.events.at(-1)!.payload).toMatchObject({ text: 'Lighthouse keepers log\n\nHarbour master\nTide' });
  });

  it('fails a broken PDF as bad input, saying why', async () => {
    const error = await processDocument(Buffer.from('%PDF-1.4\nthis is not a PDF'), ingestedAs('broken.pdf', 'application/pdf')).catch((e) => e);
    expect(isInvalidMedia(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UNREADABLE_DOCUMENT', message: expect.stringMatching(/^the PDF cannot be read: /) });
  });

  it.each([
    [
      'a safe SVG, ingested as XML under its own name',
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#000"/></svg>',
      'application/xml',
      { thumbnail: [256, 128], proxy: [1280, 640] },
    ],
    [
      'an SVG stated larger than the pixel limit',
      '<svg xmlns="http://www.w3.org/2000/svg" width="120000" height="90000" viewBox="0 0 120 90"><rect width="120" height="90" fill="#08f"/></svg>',
      'image/svg+xml',
      { thumbnail: [256, 192], proxy: [1280, 960] },
    ],
  ])('draws %s into the proxy box', async (_, text, mimeType, sizes) => {
    const result = await processDocument(Buffer.from(text), ingestedAs('drawing.svg', mimeType));
    expect(result.events.map((e) => e.payload)).toEqual(
      Object.entries(sizes).map(([name, [width, height]]) => expect.objectContaining({ name, width, height })),
    );
  });

  describe('an SVG that reaches outside itself', () => {
    let server: Server;
    let requests = 0;
    let port = 0;
    beforeAll(async () => {
      server = createServer((_request, response) => (requests++, response.end('x')));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const cases = () => [
      ['an external entity', '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '<text y="20">&xxe;</text>'],
      ['an image from a file', '', '<image href="file:///etc/hostname" width="10" height="10"/>'],
      ['an image from the network', '', `<image href="http://127.0.0.1:${port}/x.png" width="10" height="10"/>`],
    ];

    it('is refused as bad input with the reason, rendering nothing and asking the network nothing', async () => {
      for (const [name, prolog, body] of cases()) {
        const svg = Buffer.from(`${prolog}<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">${body}</svg>`);
        const error = await processDocument(svg, ingestedAs('x.svg', 'image/svg+xml')).catch((e) => e);
        expect(error, name).toMatchObject({ code: 'UNSAFE_SVG', message: expect.stringMatching(/^the SVG is not rendered: it /) });
      }
      await sleep(100);
      expect(requests).toBe(0);
    });
  });

  it('records a broken PDF as a failure and goes on to the next asset', async () => {
    const directory = temporaryDirectory();
    const log = new SqliteEventLog({ path: join(directory.path, 'log.db') });
    const store = new LocalDirectoryStore(join(directory.path, 'objects'));
    const ingest = async (assetId: string, bytes: Buffer) => {
      await store.put(`originals/${assetId}.pdf`, bytes);
      const base = ingestedDraft(assetId);
      const payload = { ...base.payload, objectKey: `originals/${assetId}.pdf`, originalName: `${assetId}.pdf`, mediaType: 'document', mimeType: 'application/pdf', size: bytes.length };
      return { ...base, payload } as EventDraft;
    };
    await log.append([await ingest('broken', Buffer.from('%PDF-1.4 nothing')), await ingest('good', pdfOf(['Fine']))]);
    const logger = pino({ level: 'silent' });
    const running = runProcessor(documentsProcessor(options), { log, store, logger, concurrency: 1, attempts: 3, backoffMs: 5, maxInputBytes: 10_000_000, ...options });
    try {
      const typesOf = async (assetId: string, count: number) => {
        for (let deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(20)) {
          const events = await log.readAsset(assetId);
          if (events.length >= count) return events;
        }
        return log.readAsset(assetId);
      };
      const broken = await typesOf('broken', 2);
      const good = await typesOf('good', 4);
      expect(broken[1]).toMatchObject({ type: 'AssetProcessingFailed', payload: { code: 'UNREADABLE_DOCUMENT', retryable: false } });
      expect(good.map((e) => e.type)).toEqual(['AssetIngested', 'RenditionCreated', 'RenditionCreated', 'DocumentTextExtracted']);
    } finally {
      await running.stop();
      await log.close();
      directory.remove();
    }
  });
});

describe('an SVG file ingested into a lake', () => {
  it('is a document, drawn by the documents processor alone, and ready with its thumbnail', async () => {
    const folder = temporaryDirectory();
    writeFileSync(join(folder.path, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="80" height="40" fill="teal"/></svg>');
    const lake = await openTestLake();
    try {
      lake.start();
      await ingestDirectory(ingestContext(lake), folder.path);
      await lake.waitForIdle({ timeoutMs: 30_000 });
      const [record] = (await lake.records.list({ limit: 10 })).assets;
      expect(record).toMatchObject({ mediaType: 'document', mimeType: 'image/svg+xml', status: 'ready', renditions: { thumbnail: { width: 256, height: 128 } } });
    } finally {
      await lake.close();
      folder.remove();
    }
  });
});

describe('a PDF whose %PDF- header is not at its very start, ingested into a lake', () => {
  it('is a PDF after blank lines, with its thumbnail and text; noise named .pdf is read by its name and fails with the reason', async () => {
    const folder = temporaryDirectory();
    writeFileSync(join(folder.path, 'memo.pdf'), Buffer.concat([Buffer.from('\r\n\r\n'), pdfOf(['Memo about the harbour'])]));
    writeFileSync(join(folder.path, 'noise.pdf'), Buffer.from('not a document at all, though named as one'));
    const { lake, byName } = await lakeOverFolder(folder.path);
    try {
      expect(byName.get('memo.pdf')).toMatchObject({ mimeType: 'application/pdf', mediaType: 'document', status: 'ready', renditions: { thumbnail: { height: 256 } } });
      expect((await lake.search.search(SearchQuery.parse({ q: 'harbour' }))).hits.map((hit) => hit.originalName)).toEqual(['memo.pdf']);
      expect(byName.get('noise.pdf')!.failures).toEqual([expect.objectContaining({ code: 'UNREADABLE_DOCUMENT', retryable: false })]);
    } finally {
      await lake.close();
      folder.remove();
    }
  });
});
