import { expect } from 'vitest';

// A tiny cookie-keeping client for the console tests: real HTTP, no redirects followed, cookies kept
// and dropped the way a browser would.

export const PASSWORD = 'kata-sandi-yang-panjang-1';

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const gone = value === '' || attrs.some((a) => /max-age=0\b/i.test(a.trim()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
  }
}

/** The CSRF token a console page carries in its forms. */
export const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

export interface SignedIn {
  b: Browser;
  /** The session's CSRF token, as the pages' forms carry it. */
  csrf: string;
  /** Where sign-in sent the browser: the page the role works in. */
  location: string | null;
}

/**
 * Signs in to the console as `email` through the login form, in `to` (a browser) or a new browser on `to`
 * (a base URL), and checks it was let in (303).
 */
export async function signedIn(to: string | Browser, email: string, password = PASSWORD): Promise<SignedIn> {
  const b = typeof to === 'string' ? new Browser(to) : to;
  const form = await (await b.fetch('/console/login')).text();
  const res = await b.post('/console/login', { _csrf: csrfIn(form), email, password });
  expect(res.status, `sign-in ${email}`).toBe(303);
  const csrf = csrfIn(await (await b.fetch('/console/password')).text());
  expect(csrf).not.toBe('');
  return { b, csrf, location: res.headers.get('location') };
}
