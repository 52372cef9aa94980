// The monthly report's figures (issue 20 part 6) as one typed structure: what the console page draws, the PDF
// and the XLSX print, the API answers and monthly_reports.figures keeps. Only counts and the names of
// programs and kecamatan: never a resident.
//
// The grain, "one page per program and area": one page per program for the whole area the reader may see
// (the city, or a kecamatan office's kecamatan), with a row per kecamatan on it; and one page of the
// office's services (complaints and SLA, findings, field visits, PPKS, IKM), again with a row per kecamatan.
// A kecamatan's row is what that kecamatan's own officer would see for it; `total` is the whole scope, so it
// may hold what belongs to no kecamatan (a city-wide complaint, a finding without an address).

import type { IkmFigure, SlaCompliance } from '../complaints.ts';

/** Channel groups a family was reached on: WhatsApp (Cloud, Web, the demo phone), Telegram, the web chat. */
export const REACH_CHANNELS = ['whatsapp', 'telegram', 'webchat'] as const;
export type ReachChannel = (typeof REACH_CHANNELS)[number];

/** Distribution rounds: first, second and third summons (invitations.round). */
export const ROUNDS = [1, 2, 3] as const;

export interface ProgramAreaFigures {
  /** null: the whole scope (the page's total row). */
  kecamatanId: number | null;
  /** Enrollments not ended that existed at the month's end (created before it; status as of generating). */
  enrolled: number;
  /** Of those, verified or active: the validated share is validated / enrolled. */
  validated: number;
  /** Enrollments created during the month. */
  newInMonth: number;
  /** Invitations (not cancelled) to the program's distributions dated in the month, per round. */
  invitedByRound: [number, number, number];
  invited: number;
  /** Invitations with at least one message sent on each channel group (a family may count on several). */
  reached: Record<ReachChannel, number>;
  /** Invitations with no message sent on any channel: the office had to reach them another way. */
  notReached: number;
  collected: number;
  /** No-shows per round (index 0 = first summons). */
  noShowByRound: [number, number, number];
  /** Complaints filed in the month that name the program. */
  complaints: number;
}

export interface ProgramFigures {
  programId: number;
  code: string;
  name: string;
  /** Recipients the office means to reach in a year; null when none is set. */
  targetPerYear: number | null;
  /** Distribution events of the program dated in the month (any of whose families is in scope). */
  events: number;
  total: ProgramAreaFigures;
  /** One row per kecamatan in scope, in the kecamatan's name order. */
  areas: ProgramAreaFigures[];
}

export interface ServiceAreaFigures {
  kecamatanId: number | null;
  /** Complaints filed in the month, and closed in the month (any filing date). */
  complaintsFiled: number;
  complaintsClosed: number;
  /** Over complaints filed in the month (services/reports/complaints.ts: slaCompliance). */
  sla: SlaCompliance;
  /** Data-quality findings first seen in the month, and resolved in the month. */
  findingsOpened: number;
  findingsResolved: number;
  /** Field visits recorded in the month. */
  fieldVisits: number;
  /** PPKS reported in the month, reached and served (a cohort: services/reports/social.ts). */
  ppks: { reported: number; reached: number; served: number };
  /** Satisfaction index of the month (services/reports/complaints.ts: ikm). */
  ikm: IkmFigure;
}

export interface MonthlyFigures {
  /** YYYY-MM, and its first and last day in the office's zone. */
  month: string;
  from: string;
  to: string;
  /** When the figures were counted (ISO instant). */
  countedAt: string;
  /** The office's zone the month and countedAt are read in. */
  timeZone: string;
  /** Whose figures: null kecamatan/bidang means the whole city / every bidang. */
  scope: { kecamatanId: number | null; kecamatan: string | null; bidang: string | null };
  /** The kecamatan with a row on every page, in name order. */
  areas: { id: number; name: string }[];
  programs: ProgramFigures[];
  services: { total: ServiceAreaFigures; areas: ServiceAreaFigures[] };
}

/** Validated share (0–1, four decimals) of a row; null when nothing is enrolled. */
export function validatedShare(f: Pick<ProgramAreaFigures, 'enrolled' | 'validated'>): number | null {
  return f.enrolled === 0 ? null : Math.round((f.validated / f.enrolled) * 10_000) / 10_000;
}

/** Enrolled against the yearly target (0–…, four decimals); null without a target. */
export function targetShare(enrolled: number, target: number | null): number | null {
  return target === null || target <= 0 ? null : Math.round((enrolled / target) * 10_000) / 10_000;
}

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Whether the month has nothing to report: no enrollment standing at its end, no invitation, complaint,
 * finding, visit, PPKS report or rating. Such a month gets a clear answer instead of an empty PDF.
 */
export function isEmptyMonth(f: MonthlyFigures): boolean {
  const s = f.services.total;
  const programsEmpty = f.programs.every((p) => p.total.enrolled + p.total.newInMonth + p.total.invited + p.total.complaints === 0);
  const servicesEmpty =
    s.complaintsFiled + s.complaintsClosed + s.findingsOpened + s.findingsResolved + s.fieldVisits + s.ppks.reported + s.ikm.count === 0;
  return programsEmpty && servicesEmpty;
}
