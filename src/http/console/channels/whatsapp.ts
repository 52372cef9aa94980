import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import QRCode from 'qrcode';
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
    if (!status) return c.html(page(t('console:whatsapp.title'), t('console:whatsapp.off'), ''));
    const state = String(status.state ?? 'unknown');
    const qr = typeof status.qr === 'string' && state === 'qr' ? await QRCode.toDataURL(status.qr, { margin: 2, width: 320 }) : '';
    const text = t(`console:whatsapp.states.${state}`, { defaultValue: state });
    const img = qr ? html`<p>${t('console:whatsapp.scan')}</p><img alt="${t('console:whatsapp.qrAlt')}" src="${qr}" width="320" height="320">` : '';
    return c.html(page(t('console:whatsapp.title'), text, img));
  });
  return app;
}

function page(title: string, state: string, body: unknown) {
  return html`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;font-size:20px;margin:2rem;color:#111}</style></head>
<body><h1>${title}</h1><p role="status">${state}</p>${raw(String(body))}</body></html>`;
}
