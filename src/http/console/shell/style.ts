import { INBOX_STYLE, VISUALLY_HIDDEN } from './style-inbox.ts';
import { PHONE_STYLE } from './style-phone.ts';

// The console's one stylesheet, inlined in every page (no request of its own, nothing to cache wrongly). The
// base here; the inbox and conversation view, and the field phone's narrow layout, in files of their own.

const BASE_STYLE = `
:root { font-size: 16px; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f5; color: #111; }
header.top { background: #0b5d3b; color: #fff; padding: .5rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header.top a, header.top button { color: #fff; }
header.top .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
header.top nav { display: flex; gap: .25rem 1rem; flex: 1; flex-wrap: wrap; }
header.top form { margin: 0; }
header.top button { background: none; border: 1px solid #fff; border-radius: .3rem; padding: .2rem .6rem; font: inherit; cursor: pointer; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
.card { background: #fff; border: 1px solid #cfd8d3; border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #dde3e0; vertical-align: top; }
th { background: #e8efeb; }
.tabs { display: flex; gap: .3rem; margin-bottom: .6rem; }
.tabs a { padding: .4rem .8rem; border: 1px solid #0b5d3b; border-radius: .4rem; color: #0b5d3b; text-decoration: none; }
.tabs a[aria-current="page"] { background: #0b5d3b; color: #fff; }
.filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; margin-bottom: .8rem; }
label { display: block; font-weight: 600; margin-bottom: .2rem; }
input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #6b7f77; border-radius: .3rem; }
textarea { width: 100%; min-height: 6rem; }
button.primary, .filters button { background: #0b5d3b; color: #fff; border: 0; border-radius: .3rem; padding: .45rem .9rem; font: inherit; cursor: pointer; }
button.secondary { background: #fff; color: #0b5d3b; border: 1px solid #0b5d3b; border-radius: .3rem; padding: .45rem .9rem; font: inherit; cursor: pointer; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; }
.actions form { margin: 0; }
.error { background: #fde8e8; border: 1px solid #c53030; color: #8a1c1c; padding: .6rem .8rem; border-radius: .4rem; }
.notice { background: #e6f4ea; border: 1px solid #2f855a; padding: .6rem .8rem; border-radius: .4rem; }
.warn { background: #fff8e1; border: 1px solid #b7791f; padding: .6rem .8rem; border-radius: .4rem; }
.late { color: #a61b1b; font-weight: 600; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.events { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: .5rem; }
.events li { border: 1px solid #dde3e0; border-radius: .4rem; padding: .5rem .7rem; background: #fff; }
.events li.message_in { border-left: 4px solid #3182ce; }
.events li.message_out { border-left: 4px solid #0b5d3b; background: #f0f8f3; }
.events li.note { border-left: 4px solid #b7791f; background: #fffbeb; }
.meta { font-size: .8rem; color: #4a5a54; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.login { max-width: 24rem; margin: 3rem auto; }
.login input { width: 100%; }
.field { margin-bottom: .8rem; }
`;

export const STYLE = [BASE_STYLE, INBOX_STYLE, VISUALLY_HIDDEN, PHONE_STYLE].join('\n');
