// The console on a field officer's phone (390 px and up): what fits, and targets a thumb can hit (44 px).
//
// Below 40rem (640 px) nothing may be wider than the screen: the page never scrolls sideways, which on a
// phone hides half a form without telling. The menu, which for a supervisor is a dozen links (744 px in one
// row), takes a line of its own and scrolls sideways inside itself; the page does not. Every link, button
// and field is at least 44 px tall (WCAG 2.5.5, Apple's and Google's guidance for a thumb), a table too
// wide scrolls inside its own box, and the facts of a card stack label over value. CSS only: the markup
// is the same on every screen.
export const PHONE_STYLE = `
@media (max-width: 40rem) {
  header.top { padding: .25rem .5rem; gap: .25rem .5rem; }
  header.top .brand { margin-right: auto; }
  header.top nav {
    order: 10; flex: 1 1 100%; min-width: 0; gap: .25rem;
    flex-wrap: nowrap; overflow-x: auto; overscroll-behavior-x: contain; scrollbar-width: thin;
  }
  header.top nav a { flex: 0 0 auto; white-space: nowrap; padding: 0 .6rem; border-radius: .3rem; }
  header.top nav a[aria-current="page"] { background: rgba(255, 255, 255, .18); }
  header.top a, header.top button { min-height: 44px; display: inline-flex; align-items: center; }
  header.top button { padding: 0 .8rem; }
  header.top .me { max-width: 100%; overflow-wrap: anywhere; }

  main { padding: .75rem .5rem; overflow-wrap: anywhere; }
  main a, main button, main summary { min-height: 44px; }
  main a { display: inline-flex; align-items: center; }
  main button { padding-top: .5rem; padding-bottom: .5rem; }
  main input:not([type=checkbox]):not([type=radio]):not([type=hidden]), main select { min-height: 44px; max-width: 100%; }
  main textarea { max-width: 100%; }
  main input[type=checkbox], main input[type=radio] { width: 1.5rem; height: 1.5rem; margin: 0 .4rem 0 0; }
  main label:has(input[type=checkbox]), main label:has(input[type=radio]) { display: flex; align-items: center; min-height: 44px; }
  main img, main video { max-width: 100%; height: auto; }

  .card { padding: .75rem; }
  .filters > div { flex: 1 1 100%; min-width: 0; }
  .filters select, .filters input { width: 100%; }
  .actions { gap: .5rem; }
  .actions > form, .actions > a { flex: 1 1 100%; }
  .actions button { width: 100%; }
  main table { display: block; overflow-x: auto; max-width: 100%; }
  /* Words in a table stay whole (the table scrolls instead): "Penyalura-n" in a narrow column reads worse. */
  main th, main td { overflow-wrap: normal; min-width: 5rem; }
  dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.facts dd { margin-bottom: .5rem; }
}
`;
