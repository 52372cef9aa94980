// Fan-out benchmark on its own (the logic lives in bench/fanout.ts; `npm run bench` runs it with the others).
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-invitations.ts 20000

import { measureFanout } from '../bench/fanout.ts';
import { withScratch } from '../bench/scratch.ts';

const n = Number(process.argv[2] ?? 20_000);
if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL server');
const f = await withScratch((database) => measureFanout(database, n));
console.log(JSON.stringify({ ...f, seconds: +f.seconds.toFixed(2) }));
