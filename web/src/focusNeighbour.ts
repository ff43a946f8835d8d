import { focusViewHeading } from './components/ViewHeading';

/** How long a control's going is waited for (its request answered, the view drawn again). */
const WAIT_MS = 15_000;

/**
 * Keeps the keyboard's place when the control used goes (a row removed, a
 * bar hidden, a button replaced): once `control` has left the page, and if
 * the focus fell to the page with it, the focus goes to what now stands at
 * its place among `neighbours` (the one after it, else the last), else to
 * the view's heading. Call it as the control is used, before the change.
 * A control that is not among its neighbours gives its place (`at`).
 */
export function focusNeighbourWhenGone(control: Element | null, neighbours: () => Element[] = () => [], at?: number): void {
  if (!(control instanceof HTMLElement)) return;
  const place = at ?? Math.max(0, neighbours().indexOf(control));
  const observer = new MutationObserver(() => {
    if (control.isConnected) return;
    stop();
    // The user has moved on (or something else took the focus): leave it.
    if (document.activeElement && document.activeElement !== document.body) return;
    const standing = neighbours().filter((element): element is HTMLElement => element instanceof HTMLElement);
    const next = standing[Math.min(place, standing.length - 1)];
    if (next) next.focus();
    else focusViewHeading();
  });
  const timer = setTimeout(() => stop(), WAIT_MS);
  const stop = () => (observer.disconnect(), clearTimeout(timer));
  observer.observe(document.body, { childList: true, subtree: true });
}

/** The elements that `selector` picks in the page, in its order. */
export const matching = (selector: string) => (): Element[] => [...document.querySelectorAll(selector)];
