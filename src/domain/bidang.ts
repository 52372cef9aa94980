import { BIDANG, type Bidang } from './vocabulary.ts';

/**
 * A program's bidang as routing, ratings and scope use it: programs keep it as free text that staff type, so a
 * value that is not one of the office's bidang counts as none (and the category route or the city applies).
 */
export function bidangOf(value: string | null | undefined): Bidang | null {
  return (BIDANG as readonly string[]).includes(value ?? '') ? (value as Bidang) : null;
}
