import { sql, type SQL } from 'drizzle-orm';

// Rows gathered column by column and written with one `insert … select * from unnest($1::t[], …)`.
// Each column travels as a single array literal, so ten thousand rows cost one statement and a handful
// of parameters, and the same text works on postgres.js and PGlite alike (neither driver's own array
// encoding is needed, and postgres.js cannot type a boolean[] parameter by itself).

export type PgType = 'bigint' | 'integer' | 'smallint' | 'text' | 'date' | 'boolean';
type Value = string | number | boolean | null;

export class ColumnBatch<Row extends readonly Value[]> {
  private values: Value[][];
  rows = 0;

  constructor(
    private readonly table: string,
    private readonly columns: { readonly [K in keyof Row]: readonly [name: string, type: PgType] },
  ) {
    this.values = columns.map(() => []);
  }

  push(...row: Row): void {
    for (let i = 0; i < row.length; i++) this.values[i]!.push(row[i]!);
    this.rows++;
  }

  /** The insert for everything pushed so far; the batch is empty afterwards. */
  take(): SQL {
    const names = this.columns.map(([name]) => name).join(', ');
    const arrays = this.columns.map(([, type], i) => sql`${arrayLiteral(this.values[i]!, type)}::${sql.raw(type)}[]`);
    this.values = this.columns.map(() => []);
    this.rows = 0;
    return sql`insert into ${sql.raw(this.table)} (${sql.raw(names)}) select * from unnest(${sql.join(arrays, sql`, `)})`;
  }
}

export function arrayLiteral(values: readonly Value[], type: PgType): string {
  const quoted = type === 'text' || type === 'date';
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'boolean') parts[i] = v ? 't' : 'f';
    else if (quoted) parts[i] = `"${String(v).replace(/["\\]/g, '\\$&')}"`;
    else parts[i] = String(v);
  }
  return `{${parts.join(',')}}`;
}
