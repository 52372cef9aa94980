import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type Resource } from 'i18next';
import { LOCALES, type Locale } from './domain/vocabulary.ts';

export const localesDir = fileURLToPath(new URL('../locales', import.meta.url));

/** Reads locales/<lang>/<namespace>.json for every supported language. */
export function loadResources(dir = localesDir): Resource {
  const resources: Resource = {};
  for (const lang of LOCALES) {
    resources[lang] = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json'))) {
      resources[lang][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, lang, file), 'utf8'));
    }
  }
  return resources;
}

export type Translator = i18n;

/** A private i18next instance (not the global one), so tests and processes never share language state. */
export async function createI18n(defaultLocale: Locale): Promise<Translator> {
  const resources = loadResources();
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: defaultLocale,
    fallbackLng: defaultLocale === 'id' ? ['id', 'en'] : ['en', 'id'],
    supportedLngs: [...LOCALES],
    ns: Object.keys(resources.id ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // output is escaped where it is rendered (HTML) and not for chat
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}

/** Picks a supported language from an Accept-Language header or a channel's language code. */
export function pickLocale(hint: string | undefined | null, fallback: Locale): Locale {
  if (!hint) return fallback;
  for (const part of hint.split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase().split('-')[0];
    if (tag === 'in') return 'id'; // old Java/Android code for Indonesian
    if ((LOCALES as readonly string[]).includes(tag ?? '')) return tag as Locale;
  }
  return fallback;
}
