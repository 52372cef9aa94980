/**
 * Rows of a raw `db.execute(sql...)`: postgres.js answers an array, PGlite an object with `rows`.
 * Column names are as the database spells them (snake_case).
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
