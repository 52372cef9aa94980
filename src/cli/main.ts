import { runEntry } from '../app/embedded/entry.ts';
import { runCli, cliNeedsDatabase } from './commands.ts';

// The entry point of `npm run cli`. With the embedded database, while `npm start` runs, the service runs the
// command (see app/embedded/entry.ts); otherwise this process does.
const argv = process.argv.slice(2);
process.exitCode = await runEntry({
  command: 'cli',
  argv,
  env: process.env,
  needsDatabase: cliNeedsDatabase(argv),
  run: (open) =>
    runCli(argv, {
      env: process.env,
      out: (line) => console.log(line),
      err: (line) => console.error(line),
      ...(open ? { open } : {}),
    }),
});
