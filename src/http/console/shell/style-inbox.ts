// The live inbox and the conversation view: rows to triage, a conversation with its reply box pinned, the
// menu's badge, and what keyboard users need on every page (a skip link, a visible focus, the current page).
export const INBOX_STYLE = `
.skip { position: absolute; left: -999px; top: 0; background: #fff; color: #0b5d3b; padding: .6rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
:focus-visible { outline: 3px solid #b7791f; outline-offset: 2px; }
header.top nav a[aria-current="page"] { font-weight: 700; text-decoration: underline; text-underline-offset: .3em; text-decoration-thickness: 2px; }
.badge { display: inline-block; min-width: 1.4em; padding: 0 .35em; border-radius: 1em; background: #ffd54f; color: #111; font-size: .8rem; font-weight: 700; text-align: center; }
.badge.empty { display: none; }
.tabs .count { display: inline-block; margin-left: .35rem; padding: 0 .4em; border-radius: 1em; background: #e8efeb; color: #0b5d3b; font-size: .85rem; }
.tabs a[aria-current="page"] .count { background: #fff; }
.mark { display: inline-block; padding: 0 .4em; border-radius: .3em; font-size: .8rem; font-weight: 600; }
.mark.replied { background: #e3f2fd; color: #0d3c61; border: 1px solid #1565c0; }
.mark.claimed { background: #fff8e1; color: #5d4300; border: 1px solid #b7791f; }
.snippet { color: #333; font-size: .9rem; max-width: 32rem; overflow: hidden; text-overflow: ellipsis; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
td.select, th.select { width: 2.5rem; }
.bulk { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; margin: .6rem 0; padding: .6rem; border: 1px dashed #6b7f77; border-radius: .4rem; }
.conversation-view { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 1rem; align-items: start; }
.conversation-view .side { position: sticky; top: .5rem; }
.conversation-view .side .card { margin-bottom: .6rem; }
.thread { max-height: calc(100vh - 22rem); min-height: 12rem; overflow-y: auto; }
.reply-box { position: sticky; bottom: 0; background: #fff; border: 1px solid #0b5d3b; border-radius: .5rem; padding: .6rem .8rem; box-shadow: 0 -4px 12px rgba(0,0,0,.08); }
.reply-box textarea { min-height: 5rem; }
.reply-box .row { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; justify-content: space-between; }
.canned-list { list-style: none; margin: .3rem 0; padding: 0; max-height: 10rem; overflow-y: auto; border: 1px solid #cfd8d3; border-radius: .3rem; }
.canned-list button { width: 100%; text-align: left; background: #fff; border: 0; border-bottom: 1px solid #eee; padding: .4rem .6rem; font: inherit; cursor: pointer; }
.canned-list button:hover, .canned-list button:focus { background: #e8efeb; }
details.bot-turns { border: 1px dashed #b9c6c0; border-radius: .4rem; padding: .3rem .6rem; background: #fafcfb; }
details.bot-turns summary { cursor: pointer; color: #4a5a54; font-size: .85rem; }
.chosen { font-style: italic; }
@media (max-width: 60rem) { .conversation-view { grid-template-columns: 1fr; } .conversation-view .side { position: static; } .thread { max-height: none; } }
`;
export const VISUALLY_HIDDEN = `.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }`;
