// Loaded into the service with NODE_OPTIONS=--import when BENCH_TRACE_DIR is set: what the service's one thread
// did each second, to tell where a slow answer waited. Per second: how busy the event loop was (utilization),
// how late its timers ran (event-loop delay p99 and max: any synchronous work or GC pause that held the
// thread), and the garbage collector's pauses. Written to $BENCH_TRACE_DIR/service-<pid>.trace.json at exit.
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';

interface Gc {
  count: number;
  ms: number;
  maxMs: number;
  majorMs: number;
}
const none = (): Gc => ({ count: 0, ms: 0, maxMs: 0, majorMs: 0 });

const delay = monitorEventLoopDelay({ resolution: 2 });
delay.enable();
let gc = none();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.ms += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
    if (((e as unknown as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.majorMs += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

const seconds: { at: number; utilization: number; delayP99Ms: number; delayMaxMs: number; gc: Gc; heapMb: number }[] = [];
let last = performance.eventLoopUtilization();
setInterval(() => {
  const now = performance.eventLoopUtilization();
  const d = performance.eventLoopUtilization(now, last);
  last = now;
  seconds.push({ at: Date.now(), utilization: d.utilization, delayP99Ms: delay.percentile(99) / 1e6, delayMaxMs: delay.max / 1e6, gc, heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
  delay.reset();
  gc = none();
}, 1000).unref();

process.on('exit', () => {
  writeFileSync(`${process.env.BENCH_TRACE_DIR}/service-${process.pid}.trace.json`, JSON.stringify(seconds));
});
