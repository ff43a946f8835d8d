import { useCallback, useRef } from 'react';

/**
 * Whether an answer is still wanted. A view asks again when what it shows
 * changes (the URL's search, the collection in the path), and the answer to
 * an earlier question can arrive after the later one's: it must not replace
 * it. `stillAsked(question)` is true while `question` is what the view shows.
 */
export function useStillAsked(question: string): (asked: string) => boolean {
  const current = useRef(question);
  current.current = question;
  return useCallback((asked: string) => current.current === asked, []);
}
