import { normalizePhone } from '../../domain/phone.ts';
import { DEMO_PHONES, DEMO_RESIDENTS, type DemoPhoneShows } from '../seed/batam-residents.ts';

// The demo phones as the demo phone page and its channel know them: the seed's table (DEMO_PHONES) with each
// number in the form chats compare (normal) and the form a URL names it by (national digits). Only these
// numbers have a page: the page must never become a way to write as any number at all.

export interface DemoPhoneEntry {
  resident: string;
  /** As the registry writes it: "0812-7700-1001". */
  display: string;
  /** The comparable form, which is also the chat id on the demo_phone channel: "6281277001001". */
  normal: string;
  /** For URLs: "081277001001". */
  slug: string;
  holder: string | null;
  shows: DemoPhoneShows;
  /** What the newcomer types to find the resident (demo data, invented): the page shows them to try with. */
  facts: { nik: string; noKk: string; birthDate: string };
}

/** The demo residents without a phone: the page names them, with the way they can still prove who they are. */
export interface DemoPhoneless {
  resident: string;
  shows: DemoPhoneShows;
}

export function demoPhoneList(): DemoPhoneEntry[] {
  return DEMO_PHONES.flatMap((p) => {
    const normal = normalizePhone(p.phone);
    if (!p.phone || !normal) return [];
    const r = DEMO_RESIDENTS.find((d) => d.name === p.resident);
    if (!r) throw new Error(`demo phone of an unknown resident: ${p.resident}`);
    const facts = { nik: r.nik, noKk: r.noKk, birthDate: r.birthDate };
    return [{ resident: p.resident, display: p.phone, normal, slug: `0${normal.slice(2)}`, holder: p.holder, shows: p.shows, facts }];
  });
}

export function demoPhoneless(): DemoPhoneless[] {
  return DEMO_PHONES.filter((p) => p.phone === null).map((p) => ({ resident: p.resident, shows: p.shows }));
}

/** The demo phone a URL or a form names, in any way of writing it; undefined for every other number. */
export function findDemoPhone(raw: string): DemoPhoneEntry | undefined {
  const normal = normalizePhone(raw);
  return normal ? demoPhoneList().find((p) => p.normal === normal) : undefined;
}
