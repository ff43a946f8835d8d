import { describe, expect, it } from 'vitest';
import { shownHistory } from '../../api/assetHistory';
import type { StoredEvent } from '../../schemas/envelope';

const event = (type: string, payload: object) => ({ type, payload }) as unknown as StoredEvent;

describe("an asset's history as the API shows it", () => {
  it("shows a photo's own XMP and IPTC title as redacted once the asset's title was, before the redaction or read again after it", () => {
    const metadata = event('TechnicalMetadataExtracted', {
      xmp: { title: 'Harbour with Jane Roe', description: 'Boats at dawn', subject: ['harbour'] },
      iptc: { title: 'Jane Roe at the quay', keywords: ['quay'] },
    });
    const history = shownHistory([metadata, event('AssetTextRedacted', { fields: ['title'] }), metadata], 'all', 'u1');
    for (const shown of [history[0]!, history[2]!]) {
      expect(shown.payload).toMatchObject({
        xmp: { title: '[redacted]', description: 'Boats at dawn', subject: ['harbour'] },
        iptc: { title: '[redacted]', keywords: ['quay'] },
      });
    }
    expect(JSON.stringify(history)).not.toMatch(/jane/i);
  });
});
