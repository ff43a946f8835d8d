import { describe, expect, it } from 'vitest';
import { checkSvg } from '../../processors/svgSafety';

const svg = (body: string, prolog = '') =>
  Buffer.from(`${prolog}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">${body}</svg>`);

const reasonFor = (bytes: Buffer) => {
  const verdict = checkSvg(bytes);
  return verdict.safe ? undefined : verdict.reason;
};

describe('checkSvg', () => {
  it('passes a drawing whose references stay inside the file', () => {
    const body = `<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
      <rect width="64" height="64" fill="url(#g)" style="stroke: url('#g')"/><use href="#g"/><use xlink:href="#g"/>
      <image href="data:image/png;base64,iVBORw0KGgo="/><text>C:\\path &amp; more</text>`;
    expect(checkSvg(svg(body, '<?xml version="1.0" encoding="UTF-8"?>\n'))).toEqual({ safe: true });
  });

  it('passes the W3C DOCTYPE without an internal subset', () => {
    const doctype = '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">';
    expect(checkSvg(svg('<rect width="1" height="1"/>', doctype))).toEqual({ safe: true });
  });

  it.each([
    ['an external entity', svg('<text>&xxe;</text>', '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'), /entities/],
    ['an internal subset', svg('', '<!DOCTYPE svg [ <!ATTLIST svg x CDATA "1"> ]>'), /internal subset/],
    ['an image from a file', svg('<image href="file:///etc/hostname"/>'), /file:\/\/\/etc\/hostname/],
    ['an image from the network', svg(`<image xlink:href='http://127.0.0.1:9/x.png'/>`), /http:/],
    ['a reference under any prefix', svg('<image x:href="other.svg"/>'), /other\.svg/],
    ['a reference under a prefix of letters beyond ASCII', Buffer.from(svg('<image é:href="file:///tmp/secret.png"/>').toString().replace('xmlns:xlink', 'xmlns:é')), /file:\/\/\/tmp\/secret/],
    ['a script under such a prefix', svg('<é:script>alert(1)</é:script>'), /script/],
    ['a CSS escape in a style element under such a prefix', svg('<é:style>rect { fill: u\\72l(http://x/) }</é:style>'), /backslashes/],
    ['an external DTD', svg('', '<!DOCTYPE svg SYSTEM "file:///tmp/ext.dtd">'), /DTD outside the file/],
    ['a public DTD not the W3C’s', svg('', '<!DOCTYPE svg PUBLIC "-//EVIL//DTD//EN" "http://evil.example/x.dtd">'), /DTD outside the file/],
    ['a reference written with character references', svg('<image href="&#102;ile:///etc/passwd"/>'), /file:/],
    ['an embedded SVG, which brings its own references', svg('<image href="data:image/svg+xml;base64,PHN2Zz4="/>'), /data:image\/svg/],
    ['a use of another file', svg('<use href="other.svg#icon"/>'), /other\.svg/],
    ['a url() in a style', svg('<style>rect { fill: url(http://example.com/p.svg#p) }</style>'), /example\.com/],
    ['an @import', svg('<style>@import "https://example.com/a.css";</style>'), /imports/],
    ['a CSS escape in a style', svg('<rect style="fill: u\\72l(http://x/)"/>'), /backslashes/],
    ['a script', svg('<script>alert(1)</script>'), /script/],
    ['a foreignObject', svg('<foreignObject><p>x</p></foreignObject>'), /foreignObject/],
    ['an XInclude', svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" parse="text" href="/etc/passwd"/>'), /include/i],
    ['an external style sheet', svg('', '<?xml-stylesheet href="http://x/s.css"?>'), /style sheet/],
    ['another encoding', svg('', '<?xml version="1.0" encoding="UTF-16"?>'), /UTF-16/],
    ['bytes that are not UTF-8', Buffer.concat([svg(''), Buffer.from([0xff, 0xfe])]), /UTF-8/],
    ['a file that is not SVG', Buffer.from('<html><body/></html>'), /no <svg>/],
  ])('refuses %s, saying why', (_name, bytes, reason) => {
    expect(reasonFor(bytes)).toMatch(reason);
  });
});
