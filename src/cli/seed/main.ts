import { runEntry } from '../../app/embedded/entry.ts';
import { seedCommand, seedNeedsDatabase } from './command.ts';

// The entry point of `npm run seed`. With the embedded database, while `npm start` runs, the service runs the
// command (see app/embedded/entry.ts); otherwise this process does.
const argv = process.argv.slice(2);
process.exitCode = await runEntry({
  command: 'seed',
  argv,
  env: process.env,
  needsDatabase: seedNeedsDatabase(argv),
  run: (open) => seedCommand(argv, { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line), ...(open ? { open } : {}) }),
});
