import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../projections/audit/csv';

describe('CSV for audit exports', () => {
  it('quotes fields with commas, quotes, CR or LF, doubling the quotes, and ends lines in CRLF', () => {
    expect(
      toCsv(
        ['actor', 'title', 'description', 'version'],
        [
          ['carol', 'Harbour, at "dusk"', 'first line\nsecond line', 3],
          ['bob', 'plain', 'a\r\nwindows line', null],
        ],
      ),
    ).toBe(
      'actor,title,description,version\r\n' +
        'carol,"Harbour, at ""dusk""","first line\nsecond line",3\r\n' +
        'bob,plain,"a\r\nwindows line",\r\n',
    );
  });

  it('writes objects as JSON, quoted as any text', () => {
    expect(csvField({ title: 'x, "y"' })).toBe('"{""title"":""x, \\""y\\""""}"');
    expect(csvField(['a', 'b'])).toBe('"[""a"",""b""]"');
  });

  it('keeps text a spreadsheet would run as a formula from running', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-2)).toBe('-2');
    expect(csvField('a-b')).toBe('a-b');
  });
});
