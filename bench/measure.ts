// How every bench figure is taken: one warm-up run (not counted), then RUNS runs, reported as the
// median with the fastest and slowest run, and an anchor measured in the same process beside it.
import { performance } from 'node:perf_hooks'

export const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5))

export interface Figure {
  median: number
  min: number
  max: number
  runs: number
}

export function summarize(values: readonly number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    runs: sorted.length,
  }
}

/** Times `work` (what it answers is ignored) once as a warm-up, then RUNS times. */
export async function measure(work: () => unknown, runs = RUNS): Promise<Figure> {
  const once = async () => {
    const start = performance.now()
    await work()
    return performance.now() - start
  }
  await once()
  const values: number[] = []
  for (let i = 0; i < runs; i++) values.push(await once())
  return summarize(values)
}

const decimals = (value: number): number => (value < 10 ? 2 : value < 100 ? 1 : 0)

export function ms(figure: Figure): string {
  const f = (value: number) => value.toFixed(decimals(figure.median))
  return `${f(figure.median)} ms (${f(figure.min)}–${f(figure.max)}, median of ${figure.runs})`
}

export function mib(figure: Figure): string {
  return `${figure.median.toFixed(0)} MiB (${figure.min.toFixed(0)}–${figure.max.toFixed(0)})`
}

export const ratio = (ours: Figure, anchor: Figure): string =>
  `${(ours.median / anchor.median).toFixed(2)}×`
