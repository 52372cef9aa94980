import { customType } from 'drizzle-orm/pg-core';

// drizzle has no bytea column of its own. postgres.js answers with a Buffer, PGlite with a Uint8Array; both
// take either when writing.
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array | string }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) =>
    typeof value === 'string' ? Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex') : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});
