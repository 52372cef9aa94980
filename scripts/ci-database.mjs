// Creates a fresh, uniquely named database on the server in $1 and prints its URL; prints nothing when
// the server does not answer, so CI falls back to the embedded PGlite. `--drop URL` removes it again.
import postgres from 'postgres';

const base = process.argv[2];
const sql = postgres(base, { max: 1, connect_timeout: 3, onnotice: () => {} });
try {
  await sql`select 1`;
  if (process.argv[3] === '--drop') {
    const name = new URL(process.argv[4]).pathname.slice(1);
    if (/^pintu_ci_\d+_\d+$/.test(name)) await sql.unsafe(`drop database if exists ${name} with (force)`);
    process.exit(0);
  }
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
