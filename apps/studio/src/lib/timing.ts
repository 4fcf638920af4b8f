/** Resolves on a later task, so a page can paint and take input (or a worker its messages) between steps. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Median of a list of numbers (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One benchmark row: how long a training step took on the active backend. */
export interface BenchRow {
  readonly task: string;
  readonly backend: string;
  readonly batch: string;
  readonly steps: number;
  readonly medianMs: number;
  readonly stepsPerSecond: number;
  /** wasm only: threads XNNPACK runs on (1 without cross-origin isolation). */
  readonly threads?: number;
  /** Whether the page is cross-origin isolated (SharedArrayBuffer, hence wasm threads). */
  readonly crossOriginIsolated?: boolean;
}

/** Times `run` `steps` times after `warmup` untimed calls (the first steps compile shaders and allocate). */
export async function timeSteps(
  run: () => Promise<unknown>,
  { warmup, steps, pause }: { warmup: number; steps: number; pause?: () => Promise<void> },
): Promise<{ medianMs: number; stepsPerSecond: number; times: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await run();
    await pause?.();
  }
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
    await pause?.();
  }
  const medianMs = median(times);
  return { medianMs, stepsPerSecond: 1000 / medianMs, times };
}

/**
 * Steps per second over the last `window` steps: a live run's read-out. Record each step's end time with
 * {@link StepRate.tick}; {@link StepRate.clear} after a pause, so the wait is not counted.
 */
export class StepRate {
  private readonly times: number[] = [];

  constructor(readonly window = 10) {}

  /** Records a step that ended at `now` (ms); returns steps per second since the oldest kept step, `undefined` after only one. */
  tick(now: number): number | undefined {
    this.times.push(now);
    if (this.times.length > this.window + 1) this.times.shift();
    const first = this.times[0]!;
    return this.times.length > 1 ? ((this.times.length - 1) * 1000) / (now - first) : undefined;
  }

  /** Forgets the steps so far. */
  clear(): void {
    this.times.length = 0;
  }
}
