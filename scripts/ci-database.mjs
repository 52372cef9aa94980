// Creates a fresh, uniquely named database on the server in $1 and prints its URL; prints nothing when
// the server does not answer, so CI falls back to the embedded PGlite.
import postgres from 'postgres';

const base = process.argv[2];
const sql = postgres(base, { max: 1, connect_timeout: 3, onnotice: () => {} });
try {
  await sql`select 1`;
  const name = `pintu_ci_${Date.now()}_${process.pid}`;
  await sql.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.stdout.write(url.toString());
} catch {
  // no server: say nothing
} finally {
  await sql.end({ timeout: 1 }).catch(() => {});
}
