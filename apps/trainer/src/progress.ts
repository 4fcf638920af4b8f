import type { StepEvent } from '@genoise/train';

/** `93` -> `1m33s`; `4000` -> `1h06m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One progress line: epoch, a bar, step, loss, learning rate, throughput, ETA. */
export function formatProgress(event: StepEvent, barWidth = 24): string {
  const epochs = Math.ceil(event.totalSteps / event.stepsPerEpoch);
  const done = Math.round((event.step / event.totalSteps) * barWidth);
  const bar = `${'#'.repeat(done)}${'.'.repeat(barWidth - done)}`;
  return (
    `epoch ${event.epoch + 1}/${epochs} [${bar}] step ${event.step}/${event.totalSteps}` +
    `  loss ${event.loss.toFixed(4)}  lr ${event.learningRate.toExponential(1)}` +
    `  ${Math.round(event.examplesPerSecond)} ex/s  ETA ${formatDuration(event.etaSeconds)}`
  );
}

/** Writes progress: a line redrawn in place on a terminal, every ~5% of the run otherwise (logs, CI). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  update(event: StepEvent): void;
  /** A line of its own (e.g. a kNN reading), printed above the redrawn progress line. */
  note(line: string): void;
  done(): void;
} {
  let lastLogged = 0;
  return {
    update(event) {
      const line = formatProgress(event);
      if (stream.isTTY) {
        stream.write(`\r${line.padEnd(stream.columns ? Math.min(stream.columns - 1, 140) : 120)}`);
      } else if (
        event.step === 1 ||
        event.step === event.totalSteps ||
        event.step - lastLogged >= Math.max(1, Math.round(event.totalSteps / 20))
      ) {
        lastLogged = event.step;
        stream.write(`${line}\n`);
      }
    },
    note(line) {
      stream.write(
        stream.isTTY
          ? `\r${line.padEnd(stream.columns ? Math.min(stream.columns - 1, 140) : 120)}\n`
          : `${line}\n`,
      );
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
