/** After this many attempts a message that keeps failing for passing reasons is given up, and staff see why. */
export const MAX_ATTEMPTS = 10;

/** Exponential backoff with jitter for errors that should pass (5xx, network): 2 s, 4 s, 8 s … up to 10 minutes. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(10 * 60_000, 1000 * 2 ** Math.max(1, attempts));
  return Math.round(base * (0.75 + random() * 0.5));
}
