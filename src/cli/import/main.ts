import { runEntry } from '../../app/embedded/entry.ts';
import { importCommand, importNeedsDatabase } from './command.ts';

// Entry point of `npm run import`. With the embedded database, while `npm start` runs, the service imports
// the file (see app/embedded/entry.ts); otherwise this process does.
const argv = process.argv.slice(2);
process.exitCode = await runEntry({
  command: 'import',
  argv,
  env: process.env,
  needsDatabase: importNeedsDatabase(argv),
  progress: { stream: process.stderr, label: argv[0] ?? 'import' },
  run: (open) =>
    importCommand(argv, {
      env: process.env,
      out: (line) => console.log(line),
      err: (line) => console.error(line),
      progressStream: process.stderr,
      ...(open ? { open } : {}),
    }),
});
