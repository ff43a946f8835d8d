import { describe, expect, it } from 'vitest';
import { sameSitePath } from '../../web/src/api/sameSitePath';

describe('where sign-in sends the user back to', () => {
  it('takes a path of this site, and nothing a browser would read as another host', () => {
    expect(sameSitePath('/albums/c1?sort=captured')).toBe('/albums/c1?sort=captured');
    for (const away of ['//example.com/x', '/\\example.com', 'https://example.com/', 'albums', null]) expect(sameSitePath(away), String(away)).toBe('/');
  });
});
