import { importCommand } from './cli.ts';

// Entry point of `npm run import`.
process.exitCode = await importCommand(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progressStream: process.stderr,
});
