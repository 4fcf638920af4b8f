import { expect, test } from 'vitest';
import { serialQueue } from './serial-queue';
import { median, StepRate, timeSteps } from './timing';

test('median of odd, even and empty lists', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 2, 3])).toBe(2.5);
  expect(median([])).toBeNaN();
});

test('timeSteps runs warm-up plus timed steps', async () => {
  let calls = 0;
  const result = await timeSteps(async () => void calls++, { warmup: 2, steps: 3 });
  expect(calls).toBe(5);
  expect(result.times).toHaveLength(3);
  expect(result.stepsPerSecond).toBeGreaterThan(0);
});

test('StepRate: steps per second over the last `window` steps, none after one, cleared', () => {
  const rate = new StepRate(2);
  expect(rate.tick(1000)).toBeUndefined();
  expect(rate.tick(1500)).toBe(2); // one step in 500 ms
  expect(rate.tick(1750)).toBe((2 * 1000) / 750); // two steps since 1000
  expect(rate.tick(2750)).toBe((2 * 1000) / 1250); // the window keeps 3 ends: 1500, 1750, 2750
  rate.clear();
  expect(rate.tick(9000)).toBeUndefined();
});

test('serialQueue runs jobs one at a time in order; a failed job rejects only itself', async () => {
  const exclusive = serialQueue();
  const log: string[] = [];
  const job = (name: string, ticks: number) => async () => {
    log.push(`${name} start`);
    for (let i = 0; i < ticks; i++) await Promise.resolve();
    log.push(`${name} end`);
    return name;
  };
  const a = exclusive(job('a', 5));
  const b = exclusive(() => {
    throw new Error('b failed');
  });
  const c = exclusive(job('c', 1));
  await expect(a).resolves.toBe('a');
  await expect(b).rejects.toThrow('b failed');
  await expect(c).resolves.toBe('c');
  expect(log).toEqual(['a start', 'a end', 'c start', 'c end']);
});
