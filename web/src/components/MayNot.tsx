import type { ReactNode } from 'react';
import { ViewHeading } from './ViewHeading';

/** A view whose every control the signed-in user would be refused: said once, in their words, in place of the controls. */
export function MayNot({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="view" aria-label={title}>
      <ViewHeading title={title} />
      <p className="empty">{children}</p>
    </section>
  );
}
