// Loaded into the service with NODE_OPTIONS=--import (Node 20 refuses --cpu-prof there): a V8 CPU profile of
// the whole run, written to $BENCH_CPU_PROFILE_DIR when the process exits, with the memory it held every
// second (to tell the V8 heap from the rest of the resident set).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
const memory: (NodeJS.MemoryUsage & { at: number })[] = [];
setInterval(() => memory.push({ at: Date.now(), ...process.memoryUsage() }), 1000).unref();
process.on('exit', () => {
  writeFileSync(`${process.env.BENCH_CPU_PROFILE_DIR}/service-${process.pid}.memory.json`, JSON.stringify(memory));
  // An in-process inspector session answers synchronously, so this completes inside the exit handler.
  session.post('Profiler.stop', (err, r) => {
    if (!err) writeFileSync(`${process.env.BENCH_CPU_PROFILE_DIR}/service-${process.pid}.cpuprofile`, JSON.stringify(r.profile));
  });
});
