import { sql, type SQL } from 'drizzle-orm';

// A list as ONE parameter, so a statement's text is the same whatever the list's length. The service prepares
// repeated statements (prepare.ts), and `in ($1, $2, …)` would be a new statement for every length, each held
// on every connection. A text parameter (an array literal, or JSON where values need quoting) reads the same
// on postgres.js and PGlite, and a NULL in a text list stays NULL.

/**
 * A PostgreSQL array literal of values that need no quoting (numbers, booleans, ISO instants, codes and channel
 * names without commas, braces, quotes or spaces): one text parameter, cast by the caller (`::bigint[]`).
 */
export function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
}

/** `bigint[]` of the ids: use as `col = any(${idArray(ids)})` or `unnest(${idArray(ids)})`. */
export function idArray(ids: readonly number[]): SQL {
  return sql`${arrayLiteral(ids)}::bigint[]`;
}

/** `text[]` of the values, NULLs kept, in order: `unnest(${textArray(xs)})`. */
export function textArray(values: readonly (string | null)[]): SQL {
  return sql`array(select e #>> '{}' from jsonb_array_elements(${JSON.stringify(values)}::jsonb) with ordinality as t(e, i) order by i)`;
}
