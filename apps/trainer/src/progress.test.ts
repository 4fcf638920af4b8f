import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, progressReporter } from './progress';

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(9.4)).toBe('9s');
    expect(formatDuration(93)).toBe('1m33s');
    expect(formatDuration(4000)).toBe('1h06m');
    expect(formatDuration(Number.NaN)).toBe('--');
  });

  it('shows epoch, bar, step, loss, lr, throughput and ETA', () => {
    const line = formatProgress(
      {
        method: 'simclr',
        terms: {},
        step: 150,
        totalSteps: 600,
        epoch: 0,
        stepsPerEpoch: 234,
        loss: 4.56789,
        learningRate: 0.00095,
        examplesPerSecond: 511.6,
        elapsedSeconds: 60,
        etaSeconds: 180,
      },
      8,
    );
    expect(line).toBe('epoch 1/3 [##......] step 150/600  loss 4.5679  lr 9.5e-4  512 ex/s  ETA 3m00s');
  });

  it('prints notes on their own line when the stream is not a terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const reporter = progressReporter(stream);
    reporter.note('step 400: kNN top-1 75.1%');
    expect(lines).toEqual(['step 400: kNN top-1 75.1%\n']);
  });
});
