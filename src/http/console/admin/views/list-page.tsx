import type { Child } from 'hono/jsx';
import { ErrorBox, Notice } from './fields.tsx';

// The body of an admin list: what it says first, the confirmation and the refusals, the rows, then the form
// that adds one (and what the page says after it).

export interface ListPageProps {
  intro?: Child;
  done?: string | undefined;
  errors?: string[] | undefined;
  rows: Child;
  create: { id: string; title: string; hint?: string; form: Child };
  after?: Child;
}

export function ListPage({ intro, done, errors, rows, create, after }: ListPageProps) {
  return (
    <>
      {intro}
      <Notice text={done} />
      {(errors ?? []).map((e) => (
        <ErrorBox text={e} />
      ))}
      {rows}
      <section class="card" aria-labelledby={create.id}>
        <h2 id={create.id}>{create.title}</h2>
        {create.hint !== undefined ? <p class="meta">{create.hint}</p> : null}
        {create.form}
      </section>
      {after}
    </>
  );
}
