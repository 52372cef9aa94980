import { LiveScripts } from '../../console/shell/layout.tsx';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';

// The demo phone pages' shell: a plain page, large enough to read on a phone, that says on every screen it is
// a demo. Hono JSX escapes every string on output, so what anyone wrote shows only as text. The only scripts
// are the console's own htmx files, for the parts that update themselves; every page works without them.

const STYLE = `
:root { font-size: 17px; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f5; color: #111; }
header .top { background: #0b5d3b; color: #fff; padding: .5rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header .top a { color: #fff; }
header .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; flex: 1; }
.banner { background: #fff8e1; border-bottom: 1px solid #b7791f; padding: .5rem 1rem; margin: 0; }
main { padding: 1rem; max-width: 60rem; margin: 0 auto; }
a { color: #0b5d3b; }
.card { background: #fff; border: 1px solid #cfd8d3; border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
h2 { margin: 0 0 .5rem; font-size: 1.2rem; }
.phones { list-style: none; padding: 0; margin: 0 0 1rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.phones .card { margin: 0; }
.phones p { margin: .4rem 0; }
.num { white-space: nowrap; font-weight: 600; }
.meta { font-size: .85rem; color: #4a5a54; }
.msgs { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: .6rem; }
.msgs > li { max-width: 90%; padding: .6rem .8rem; border-radius: .8rem; line-height: 1.4; }
.msgs > li.out { background: #fff; border: 1px solid #cfd8d3; align-self: flex-start; }
.msgs > li.in { background: #dff3e8; border: 1px solid #9fd3b5; align-self: flex-end; }
.msgs ol { margin: .4rem 0 0; padding-left: 1.4rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
label { display: block; font-weight: 600; margin-bottom: .3rem; }
form.write { display: flex; gap: .5rem; flex-wrap: wrap; align-items: end; }
form.write .field { flex: 1; min-width: 12rem; }
form.write input[type=text] { width: 100%; font: inherit; padding: .55rem; border: 2px solid #6b7f77; border-radius: .5rem; min-height: 44px; }
button { font: inherit; font-weight: 600; padding: .5rem 1.1rem; border: 0; border-radius: .5rem; background: #0b5d3b; color: #fff; min-height: 44px; cursor: pointer; }
:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.error { background: #fde8e8; border: 1px solid #c53030; color: #8a1c1c; padding: .6rem .8rem; border-radius: .4rem; }
`;

export interface DemoShellProps {
  t: TFunction;
  locale: Locale;
  title: string;
  /** The path this page answers at: the language link leads back to it. */
  here: string;
  /** Load htmx and its SSE extension: the page has a part that updates itself. */
  live?: boolean;
  children?: Child;
}

export function DemoShell({ t, locale, title, here, live, children }: DemoShellProps) {
  const other: Locale = locale === 'id' ? 'en' : 'id';
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <meta name="robots" content="noindex" />
          <title>{`${title} — ${t('demo_phone:app')}`}</title>
          {/* A constant of this file, not data: safe to insert as is. */}
          <style dangerouslySetInnerHTML={{ __html: STYLE }} />
          {live ? <LiveScripts /> : null}
        </head>
        <body>
          <header>
            <div class="top">
              <a class="brand" href="/demo/phones">
                {t('demo_phone:app')} · {t('demo_phone:nav')}
              </a>
              <a href={`${here}?lang=${other}`} hreflang={other} lang={other}>
                {t(`demo_phone:switchTo.${other}`)}
              </a>
            </div>
            <p class="banner">{t('demo_phone:banner')}</p>
          </header>
          <main>{children}</main>
        </body>
      </html>
    </>
  );
}
