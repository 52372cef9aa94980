import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { demoPhoneInbound } from '../../channels/demo-phone/inbound.ts';
import { LOCALES, type Locale } from '../../domain/vocabulary.ts';
import { demoPhoneActivity, demoPhoneConversation, demoPhoneVersion } from '../../services/demo-phone/conversation.ts';
import { demoPhoneless, demoPhoneList, findDemoPhone, type DemoPhoneEntry } from '../../services/demo-phone/phones.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { clientAddress } from '../client.ts';
import { liveStream } from '../console/shell/live.ts';
import { BODY_LIMITS } from '../limits/body.ts';
import { limitPosts } from '../limits/rates.ts';
import { limitLiveStreams } from '../limits/streams.ts';
import { DemoPhoneListPage, DemoPhoneCards, type DemoPageContext, type DemoPhoneListView } from './views/list.tsx';
import { DemoPhoneMessages, DemoPhonePage, type DemoPhoneView } from './views/phone.tsx';

// The demo phones (/demo/phones): mounted only where start.ts found the embedded demo city and no WhatsApp
// (webhooks.ts), so a real deployment answers 404 here like at any unknown path. A newcomer sees what the
// office sends to the demo residents' registry phones and writes back as one of them, which is all the
// identity proofs need. Only the numbers of the demo table have a page; any other number is 404.

const LANG_COOKIE = 'pintu_lang';

export function demoPhoneRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const db = deps.database.db;
  const pageOf = (c: Context<AppEnv>): DemoPageContext => ({ t: deps.i18n.getFixedT(c.get('locale')), locale: c.get('locale'), timeZone: deps.timeZone });

  // Also matches /demo/phones itself.
  app.use('/demo/phones/*', demoLocale(), pageHeaders);
  // The pages' live streams count with the web chat's against LIVE_STREAMS_PER_ADDRESS (http/limits/streams.ts).
  app.use(
    '/demo/phones/*',
    limitLiveStreams(deps, (c) => {
      const address = clientAddress(c);
      return address ? [{ key: `address:${address}`, max: deps.limits.settings.streamsPerAddress }] : [];
    }),
  );

  const listView = async (): Promise<DemoPhoneListView> => {
    const phones = demoPhoneList();
    const activity = await demoPhoneActivity(db, phones);
    return { phones: phones.map((entry, i) => ({ entry, activity: activity[i]! })), phoneless: demoPhoneless() };
  };

  app.get('/demo/phones', async (c) => c.html(<DemoPhoneListPage page={pageOf(c)} view={await listView()} />));
  app.get('/demo/phones/cards', async (c) => c.html(<DemoPhoneCards page={pageOf(c)} view={await listView()} />));
  app.get('/demo/phones/events', (c) => liveStream(c, () => demoPhoneVersion(db, demoPhoneList())));

  const show = async (c: Context<AppEnv>, entry: DemoPhoneEntry, error?: DemoPhoneView['error']) => {
    const view: DemoPhoneView = { entry, messages: await demoPhoneConversation(db, entry), formId: randomUUID(), error };
    return c.html(<DemoPhonePage page={pageOf(c)} view={view} />, error ? 422 : 200);
  };

  app.get('/demo/phones/:phone', async (c) => {
    const entry = findDemoPhone(c.req.param('phone'));
    return entry ? show(c, entry) : c.notFound();
  });

  // The fragment a phone's page swaps in when its stream says a message came or went.
  app.get('/demo/phones/:phone/messages', async (c) => {
    const entry = findDemoPhone(c.req.param('phone'));
    if (!entry) return c.notFound();
    return c.html(<DemoPhoneMessages page={pageOf(c)} entry={entry} messages={await demoPhoneConversation(db, entry)} />);
  });

  app.get('/demo/phones/:phone/events', (c) => {
    const entry = findDemoPhone(c.req.param('phone'));
    return entry ? liveStream(c, () => demoPhoneVersion(db, [entry])) : c.notFound();
  });

  // "Write as this phone": the text goes to the engine as a message from the number, as WhatsApp would bring
  // it. The replies are queued for the phone like any channel's, so they show on its page with the rest.
  // Same-origin forms only: another site must not make a demo phone say something.
  // Posts count against PUBLIC_POSTS_PER_ADDRESS; the form's page shows the plain answer.
  const posts = limitPosts(deps, 'demo', (c, retryAfterS) => {
    c.header('Retry-After', String(retryAfterS));
    return c.text(deps.i18n.t('limits:tooMany', { lng: c.get('locale') }), 429);
  });
  app.post('/demo/phones/:phone/messages', posts, bodyLimit({ maxSize: BODY_LIMITS.demoPhone, onError: (c) => c.text(deps.i18n.t('limits:tooLarge', { lng: c.get('locale') }), 413) }), csrf(), async (c) => {
    const entry = findDemoPhone(c.req.param('phone'));
    if (!entry) return c.notFound();
    const form = await c.req.parseBody();
    const text = typeof form.text === 'string' ? form.text.trim() : '';
    if (!text) return show(c, entry, 'empty_text');
    await deps.engine.handle(demoPhoneInbound(entry.normal, text, typeof form.formId === 'string' ? form.formId : undefined));
    return c.redirect(`/demo/phones/${entry.slug}#reply`, 303);
  });

  return app;
}

// The pages load only our own htmx files and post only to themselves; no inline script, no eval.
const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Content-Security-Policy', "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
};

/** `?lang=en` switches and is remembered for these pages; otherwise the remembered choice or Accept-Language. */
function demoLocale(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const asked = c.req.query('lang');
    const kept = getCookie(c, LANG_COOKIE);
    if (asked && (LOCALES as readonly string[]).includes(asked)) {
      setCookie(c, LANG_COOKIE, asked, { path: '/demo', httpOnly: true, sameSite: 'Lax', maxAge: 365 * 86_400 });
      c.set('locale', asked as Locale);
    } else if (kept && (LOCALES as readonly string[]).includes(kept)) {
      c.set('locale', kept as Locale);
    }
    await next();
  };
}
