// One row of the benchmark table: what was measured, against which target, and whether it was met.
export interface BenchResult {
  benchmark: string;
  /** The measured figure as printed, e.g. "7.4 s". */
  figure: string;
  target: string;
  /** undefined: not measured yet. */
  met?: boolean;
}

export function notMeasured(benchmark: string, target: string): BenchResult {
  return { benchmark, figure: 'not measured yet', target };
}
