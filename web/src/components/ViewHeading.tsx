import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

/** The history entry the page loaded at, and whether the user has gone to another since (the view then takes the focus). */
let loadedAt: string | undefined;
let navigated = false;
function goneSinceLoad(key: string): boolean {
  loadedAt ??= key;
  if (key !== loadedAt) navigated = true;
  return navigated;
}

/** The tab's title: the view's, then the lake's. */
export function useDocumentTitle(title: string): void {
  const { key } = useLocation();
  useEffect(() => {
    document.title = title ? `${title} · medialake` : 'medialake';
    goneSinceLoad(key);
  }, [title, key]);
}

/**
 * A view's heading, and the tab's title after it. Gone to within the app (a
 * link, back and forward; not on the page's first load) it takes the focus,
 * as a new page would for a screen reader's user: the focus would else stay
 * on the link followed, or fall to the page when that link is gone.
 */
export function ViewHeading({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { pathname, key } = useLocation();
  useEffect(() => {
    if (goneSinceLoad(key)) heading.current?.focus();
  }, [pathname]); // eslint-disable-line react-hooks/exhaustive-deps
  useDocumentTitle(title);
  return (
    <h2 ref={heading} tabIndex={-1} className="view-heading" data-view-heading>
      {children ?? title}
    </h2>
  );
}

/** Focus to the view's heading: where focus goes when the control used is gone and no neighbour stands in its place. */
export function focusViewHeading(): void {
  document.querySelector<HTMLElement>('[data-view-heading]')?.focus();
}
