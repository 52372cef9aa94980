import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import type { AppDeps, AppEnv } from '../../context.ts';
import { clientOf } from '../../client.ts';

// Whoever scans the pairing QR makes their own phone the office's WhatsApp sender, so the page answers only on
// the machine itself (open it through an SSH tunnel or on the server's own browser). "On the machine" is
// client.ts's reading: a request a reverse proxy forwarded is remote even when the proxy runs on this host.

/** GET /console/whatsapp: the WhatsApp Web session's state, and the QR to scan while it waits for pairing. */
export function whatsappPairingRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/console/whatsapp', async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    if (!clientOf(c).local) return c.text(t('console:whatsapp.localOnly'), 403);
    const status = deps.whatsappWebStatus?.();
    const lang = c.get('locale');
    if (!status) return c.html(page(lang, t('console:whatsapp.title'), t('console:whatsapp.off'), ''));
    const state = String(status.state ?? 'unknown');
    // The QR encoder is loaded when a pairing QR is shown, not at start-up.
    const qr = typeof status.qr === 'string' && state === 'qr' ? await (await import('qrcode')).default.toDataURL(status.qr, { margin: 2, width: 320 }) : '';
    const text = t(`console:whatsapp.states.${state}`, { defaultValue: state });
    const img = qr ? html`<p>${t('console:whatsapp.scan')}</p><img alt="${t('console:whatsapp.qrAlt')}" src="${qr}" width="320" height="320">` : '';
    return c.html(page(lang, t('console:whatsapp.title'), text, img));
  });
  return app;
}

// The state and the QR (which WhatsApp renews every few seconds) are fetched again every 5 seconds by htmx and
// swapped in place: a whole-page refresh (meta refresh) would move the reader's place and focus each time.
function page(lang: string, title: string, state: string, body: unknown) {
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,"historyCacheSize":0}'>
<script src="/console/assets/htmx.min.js" defer></script><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;font-size:20px;margin:2rem;color:#111}</style></head>
<body><main><h1>${title}</h1><div id="pairing" hx-get="/console/whatsapp" hx-trigger="every 5s" hx-select="#pairing" hx-swap="outerHTML"><p role="status">${state}</p>${raw(String(body))}</div></main></body></html>`;
}
