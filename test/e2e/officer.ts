import { expect } from 'vitest';
import { Browser, csrfIn, PASSWORD, signedIn } from '../helpers/console.ts';

// A staff member working the console over real HTTP with the cookie-keeping client: sign in, find a
// complaint, act on it with the session's CSRF token, read the pages back as HTML.

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
export const unescapeHtml = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]!);

/** The text content of a page with the tags taken out, for "the page shows ..." checks. */
export const textOf = (html: string) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

export class Officer {
  private constructor(
    readonly browser: Browser,
    private csrf: string,
  ) {}

  static async signIn(base: string, email: string, password = PASSWORD): Promise<Officer> {
    const { b, location } = await signedIn(base, email, password);
    expect(location).toBe('/console/complaints');
    const inbox = await b.fetch('/console/complaints');
    expect(inbox.status).toBe(200);
    const csrf = csrfIn(await inbox.text());
    expect(csrf).not.toBe('');
    return new Officer(b, csrf);
  }

  async get(path: string): Promise<{ status: number; html: string }> {
    const res = await this.browser.fetch(path);
    return { status: res.status, html: await res.text() };
  }

  /** The complaint's id as the inbox links it, found by searching its tracking id in "All in scope". */
  async find(trackingId: string): Promise<number> {
    const { status, html } = await this.get(`/console/complaints?queue=all&q=${encodeURIComponent(trackingId)}`);
    expect(status).toBe(200);
    const m = new RegExp(`<a href="/console/complaints/(\\d+)">${trackingId}</a>`).exec(html);
    expect(m, `${trackingId} in the inbox`).not.toBeNull();
    return Number(m![1]);
  }

  page(id: number) {
    return this.get(`/console/complaints/${id}`);
  }

  /** POSTs a complaint action from its form, with the session's CSRF token. */
  act(id: number, action: 'verify' | 'assign' | 'start' | 'reply' | 'close' | 'note', form: Record<string, string> = {}): Promise<Response> {
    return this.browser.post(`/console/complaints/${id}/${action}`, { _csrf: this.csrf, ...form });
  }

  /** Acts and expects the post-redirect-get answer of a successful action. */
  async done(id: number, action: Parameters<Officer['act']>[1], form: Record<string, string> = {}): Promise<void> {
    const res = await this.act(id, action, form);
    const body = res.status === 303 ? '' : textOf(await res.text()).slice(0, 400);
    expect(res.status, `${action}: ${body}`).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/complaints/${id}?done=${action}`);
  }
}

/** What the complaint page shows as its status. */
export function statusShown(html: string): string {
  const m = /<dd data-testid="status">([^<]*)<\/dd>/.exec(html);
  expect(m, 'status on the complaint page').not.toBeNull();
  return unescapeHtml(m![1]!);
}

/** The resident's chat as the complaint page shows it (text only). */
export function conversationShown(html: string): string {
  const m = /<ol class="events" data-testid="conversation">([\s\S]*?)<\/ol><\/div>/.exec(html);
  expect(m, 'conversation on the complaint page').not.toBeNull();
  return textOf(m![1]!);
}

/** One figure of the dashboard (data-figure="ikm", ...), as text. */
export function figureShown(html: string, name: string): string {
  const m = new RegExp(`<dd data-figure="${name}">([\\s\\S]*?)</dd>`).exec(html);
  expect(m, `figure ${name} on the dashboard`).not.toBeNull();
  return textOf(m![1]!).trim();
}

/** The dashboard's status table as numbers. */
export function statusCounts(html: string): Record<string, number> {
  // A count above zero is a link to the inbox filtered by that status.
  return Object.fromEntries([...html.matchAll(/<td data-status="([a-z_]+)">(?:<a [^>]*>)?(\d+)(?:<\/a>)?<\/td>/g)].map((m) => [m[1]!, Number(m[2])]));
}
