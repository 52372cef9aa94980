import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { generateInvitationCode } from '../../domain/invitation-code.ts';
import { distributionEvents, eventSlots, invitations } from '../../db/schema/index.ts';
import { addDays, localInstant, nextWorkingDay, trancheEn, trancheOf } from './calendar.ts';
import type { CityDefinition } from './city.ts';
import { Random } from './random.ts';
import type { ReferenceIds } from './reference.ts';

// One distribution a couple of weeks ahead, so a fresh demo has something to be invited to, reminded of,
// rescheduled and collected. Its date is computed at seed time; a fixed date would soon lie in the past.

export interface UpcomingEvent {
  eventId: number;
  eventDate: string;
  tranche: string;
  invitations: number;
}

/** The event's day: `daysAhead` after today, moved forward past weekends and holidays. */
export function upcomingEventDate(today: string, daysAhead: number, holidays: readonly { day: string }[]): string {
  return nextWorkingDay(addDays(today, daysAhead), new Set(holidays.map((h) => h.day)));
}

export async function writeUpcomingEvent(
  tx: Tx,
  city: CityDefinition,
  refs: ReferenceIds,
  today: string,
  /** Households to invite, in order; those beyond the event's fill share are left out. */
  invitees: readonly { householdId: number; always: boolean }[],
  seed: number,
): Promise<UpcomingEvent> {
  const def = city.upcomingEvent;
  const program = city.programs.find((p) => p.code === def.programCode);
  const programId = refs.programIds.get(def.programCode);
  const siteIds = refs.siteIds.get(def.kecamatanCode) ?? [];
  if (!program || programId === undefined) throw new Error(`upcoming event names unknown program ${def.programCode}`);
  if (siteIds.length === 0 || def.slots.length === 0) throw new Error(`upcoming event has no site or slot in ${def.kecamatanCode}`);

  const eventDate = upcomingEventDate(today, def.daysAhead, city.holidays);
  const tranche = trancheOf(eventDate);
  const [event] = await tx
    .insert(distributionEvents)
    .values({ programId, tranche, title: `Penyaluran ${program.name} ${tranche}`, titleEn: `${program.nameEn ?? program.name} distribution, ${trancheEn(tranche)}`, eventDate, status: 'open' })
    .returning({ id: distributionEvents.id });
  const eventId = event!.id;

  const slotRows = await tx
    .insert(eventSlots)
    .values(
      siteIds.flatMap((siteId) =>
        def.slots.map((s) => ({
          eventId,
          siteId,
          startsAt: localInstant(eventDate, s.start, city.timezone),
          endsAt: localInstant(eventDate, s.end, city.timezone),
          capacity: def.capacity,
        })),
      ),
    )
    .returning({ id: eventSlots.id });
  const slotIds = slotRows.map((r) => r.id);

  const room = Math.floor(slotIds.length * def.capacity * def.fill);
  const chosen = invitees.filter((inv, i) => inv.always || i < room).slice(0, slotIds.length * def.capacity);
  const rng = new Random(seed ^ 0x1a2b3c);
  const used = new Set<string>();
  const rows = chosen.map((inv, i) => ({
    eventId,
    householdId: inv.householdId,
    slotId: slotIds[i % slotIds.length]!, // round robin keeps slots evenly booked
    code: invitationCode(rng, used),
    round: 1,
    status: 'invited' as const,
  }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(invitations).values(rows.slice(i, i + 1000));
  for (const slotId of slotIds) {
    const booked = rows.filter((r) => r.slotId === slotId).length;
    if (booked > 0) await tx.update(eventSlots).set({ booked }).where(eq(eventSlots.id, slotId));
  }
  return { eventId, eventDate, tranche, invitations: rows.length };
}

// The same codes the office's own rounds make (domain/invitation-code.ts: alphabet, check character, 4+4 form),
// drawn from the seed's random numbers so a demo city is the same every time it is seeded.
function invitationCode(rng: Random, used: Set<string>): string {
  for (;;) {
    const code = generateInvitationCode((max) => rng.int(0, max - 1));
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}
