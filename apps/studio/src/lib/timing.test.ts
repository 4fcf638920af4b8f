import { expect, test } from 'vitest';
import { median, timeSteps } from './timing';

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
