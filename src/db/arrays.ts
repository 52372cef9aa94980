import { sql, type SQL } from 'drizzle-orm';

// A list as ONE parameter, so a statement's text is the same whatever the list's length. The service prepares
// repeated statements (prepare.ts), and `in ($1, $2, …)` would be a new statement for every length, each held
// on every connection. A JSON text parameter reads the same on postgres.js and PGlite, and a NULL in a text
// list stays NULL.

/** `bigint[]` of the ids: use as `col = any(${idArray(ids)})` or `unnest(${idArray(ids)})`. */
export function idArray(ids: readonly number[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)`;
}

/** `text[]` of the values, NULLs kept, in order: `unnest(${textArray(xs)})`. */
export function textArray(values: readonly (string | null)[]): SQL {
  return sql`array(select e #>> '{}' from jsonb_array_elements(${JSON.stringify(values)}::jsonb) with ordinality as t(e, i) order by i)`;
}
