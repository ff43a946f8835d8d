import type { SearchHit } from '../api/types';

/**
 * Where the search's words matched: the first field's text, its matches in
 * <mark>. Plain text throughout (the API sends parts, not markup), so
 * nothing of an asset's text is ever read as HTML.
 */
export function Highlights({ highlights }: { highlights: SearchHit['highlights'] }) {
  const [first] = highlights ?? [];
  if (!first) return null;
  return (
    <span className="snippet" data-field={first.field} title={first.parts.join('')}>
      <span className="visually-hidden">{first.field}: </span>
      {first.parts.map((part, index) => (index % 2 ? <mark key={index}>{part}</mark> : part))}
    </span>
  );
}
