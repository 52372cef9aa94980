import { html, raw } from 'hono/html';
import type { TFunction } from 'i18next';

// Script-safe JSON: "</script>" or U+2028 in a translation must not break out of the script element.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The web chat: one small page, no framework, readable on a cheap phone (large text, high contrast, big
 * buttons), usable with a screen reader (the conversation is a live region). Messages are inserted as text,
 * never as HTML.
 */
export function chatPage(t: TFunction, locale: string, nonce: string) {
  const texts = {
    you: t('webchat:you'),
    service: t('webchat:service'),
    sending: t('webchat:sending'),
    offline: t('webchat:offline'),
    image: t('webchat:image'),
  };
  // The chat itself is the session cookie's (HttpOnly: this script never sees it); the page only talks.
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('webchat:title')}</title>
<style nonce="${nonce}">
  :root { font-size: 20px; color-scheme: light; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f5; color: #111; display: flex; flex-direction: column; height: 100vh; height: 100dvh; }
  header { background: #0b5d3b; color: #fff; padding: .6rem 1rem; display: flex; align-items: center; gap: .8rem; }
  header div { flex: 1; min-width: 0; }
  #logout { font: inherit; font-size: .85rem; font-weight: 600; padding: 0 .8rem; min-height: 44px; border: 2px solid #fff; border-radius: .6rem; background: transparent; color: #fff; cursor: pointer; }
  header h1 { margin: 0; font-size: 1.3rem; }
  header p { margin: .1rem 0 0; font-size: .85rem; }
  main { flex: 1; min-height: 0; display: flex; flex-direction: column; }
  #log { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .6rem; }
  .msg { max-width: 90%; padding: .6rem .8rem; border-radius: .8rem; line-height: 1.4; white-space: pre-wrap; overflow-wrap: anywhere; }
  .bot { background: #fff; border: 1px solid #cfd8d3; align-self: flex-start; }
  .me { background: #dff3e8; border: 1px solid #9fd3b5; align-self: flex-end; }
  .who { display: block; font-size: .7rem; font-weight: 600; color: #35524a; margin-bottom: .2rem; }
  .qr { display: block; width: 12rem; max-width: 100%; margin-top: .5rem; image-rendering: pixelated; background: #fff; }
  .options { display: flex; flex-direction: column; gap: .4rem; margin-top: .5rem; }
  .options button { font: inherit; font-size: .95rem; text-align: left; padding: .6rem .8rem; border-radius: .6rem; border: 2px solid #0b5d3b; background: #fff; color: #0b5d3b; cursor: pointer; min-height: 48px; }
  .options button:focus-visible, #form button:focus-visible, #text:focus-visible, #logout:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
  form { display: flex; gap: .5rem; padding: .6rem; background: #fff; border-top: 1px solid #cfd8d3; }
  #text { flex: 1; min-width: 0; font: inherit; padding: .6rem; border: 2px solid #6b7f77; border-radius: .6rem; min-height: 48px; }
  #form button { font: inherit; font-weight: 600; padding: 0 1rem; border: 0; border-radius: .6rem; background: #0b5d3b; color: #fff; min-height: 48px; }
  .visually-hidden { position: absolute; left: -9999px; }
  #status { min-height: 1.2rem; padding: 0 1rem; font-size: .8rem; color: #8a1c1c; }
</style>
</head>
<body>
<header><div><h1>${t('webchat:heading')}</h1><p>${t('webchat:subheading')}</p></div><button id="logout" type="button">${t('webchat:logout')}</button></header>
<main>
<div id="log" role="log" aria-live="polite" aria-label="${t('webchat:logLabel')}"></div>
<div id="status" role="status"></div>
<form id="form" autocomplete="off">
  <label for="text" class="visually-hidden">${t('webchat:placeholder')}</label>
  <input id="text" name="text" maxlength="5000" placeholder="${t('webchat:placeholder')}" enterkeyhint="send">
  <button type="submit">${t('webchat:send')}</button>
</form>
</main>
<script nonce="${nonce}">
(() => {
  const T = ${raw(scriptJson(texts))};
  const log = document.getElementById('log');
  const status = document.getElementById('status');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  let events;

  function bubble(cls, who, text) {
    const div = document.createElement('div');
    div.className = 'msg ' + cls;
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who;
    div.appendChild(label);
    div.appendChild(document.createTextNode(text));
    log.appendChild(div);
    return div;
  }

  function showReply(reply) {
    const div = bubble('bot', T.service, reply.text);
    // An invitation's QR code: shown as an image to hold up to the officer's scanner. Only a PNG in base64.
    if (reply.image && typeof reply.image.pngBase64 === 'string' && /^[A-Za-z0-9+/=]+$/.test(reply.image.pngBase64)) {
      const img = document.createElement('img');
      img.src = 'data:image/png;base64,' + reply.image.pngBase64;
      img.alt = T.image;
      img.className = 'qr';
      div.appendChild(img);
    }
    if (reply.options && reply.options.length) {
      const box = document.createElement('div');
      box.className = 'options';
      reply.options.forEach((o, i) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = (i + 1) + '. ' + o.label;
        b.dataset.choice = o.id;
        b.addEventListener('click', () => send({ choice: o.id }, o.label));
        box.appendChild(b);
      });
      div.appendChild(box);
    }
    log.scrollTop = log.scrollHeight;
  }

  // shown: what the resident sees they sent (nothing for the page's own start).
  async function send(message, shown) {
    if (shown !== undefined) bubble('me', T.you, shown);
    log.scrollTop = log.scrollHeight;
    status.textContent = T.sending;
    const clientMessageId = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    try {
      const res = await fetch('/webchat/messages', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(Object.assign({ clientMessageId }, message)),
      });
      const body = await res.json();
      status.textContent = res.ok ? '' : (body.message || T.offline);
      (body.replies || []).forEach(showReply);
    } catch (e) {
      status.textContent = T.offline;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text }, text);
  });

  function listen() {
    events = new EventSource('/webchat/events');
    events.addEventListener('reply', (e) => showReply(JSON.parse(e.data)));
  }

  // The page opened: the server greets a new chat, shows the menu to a known one, and leaves a chat that an
  // officer is answering with the officer (a reload never ends a handover).
  function start() {
    listen();
    send({ start: true });
  }

  // Keluar: the server gives this chat up and this browser a new session; the page starts over with it.
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      const res = await fetch('/webchat/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      const body = await res.json();
      if (!res.ok) {
        status.textContent = body.message || T.offline;
        return;
      }
      events.close();
      log.textContent = '';
      status.textContent = '';
      bubble('bot', T.service, body.message);
      start();
    } catch (e) {
      status.textContent = T.offline;
    }
  });

  start();
  input.focus();
})();
</script>
</body>
</html>`;
}

/**
 * The page's Content-Security-Policy: only its own inline script and style (by this response's nonce), talking
 * only to this server, images only of its own QR codes. If a resident's text ever slipped past the escaping,
 * the browser still would not run it, nor send anything elsewhere.
 */
export function chatPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    'img-src data:',
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
