import { ArgumentError } from '@genoise/core';
import { uint8Dataset } from '@genoise/data';
import { learningRateAt, resolveTrainConfig, train } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { MethodSession, type SessionStep } from './method-session';

/** 16 grey 28x28 images of keyed-looking bytes (a fixed formula), labels unused by the method. */
function tinyImages() {
  const side = 28;
  return uint8Dataset({
    name: 'tiny',
    pixels: Uint8Array.from({ length: 16 * side * side }, (_, i) => ((i * 7919) >>> 3) % 256),
    imageShape: [side, side, 1],
    labels: Int32Array.from({ length: 16 }, (_, i) => i % 4),
    classNames: ['a', 'b', 'c', 'd'],
  });
}

/** RotNet with a batch of 4 images: the cheapest method of the registry to step. */
const config = (steps = 3) =>
  resolveTrainConfig({ seed: 5, batchSize: 4, steps, checkpointEvery: steps, method: { name: 'rotation' } });

describe('MethodSession', () => {
  test("its steps are fit's: the same losses bit for bit, the scheduled rates, finite losses, epochs of the data order", async () => {
    const data = tinyImages();
    const session = await MethodSession.create(config(), data);
    const steps: SessionStep[] = [];
    for (let i = 0; i < 5; i++) steps.push(await session.trainStep());
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    expect(session.step).toBe(5);
    for (const s of steps) expect(Number.isFinite(s.loss)).toBe(true);
    // 16 images in batches of 4: four steps an epoch.
    expect(steps.map((s) => s.epoch)).toEqual([0, 0, 0, 0, 1]);
    // A cycle of 3 steps, then the schedule starts again (warm restart).
    const rates = [0, 1, 2, 0, 1].map((k) => learningRateAt(session.config, k, 3));
    expect(steps.map((s) => s.learningRate)).toEqual(rates);
    session.dispose();

    const result = await train(config(), data);
    result.method.dispose();
    expect(result.losses).toEqual(steps.slice(0, 3).map((s) => s.loss));
  });

  test("a given order replaces fit's: each step draws the indices it names and reports its epoch", async () => {
    const data = tinyImages();
    const asked: number[][] = [];
    const recording = {
      ...data,
      images: (indices: ArrayLike<number>) => {
        asked.push(Array.from(indices));
        return data.images(indices);
      },
    };
    const order = (step: number) => ({ epoch: 10 + step, indices: [step, step + 1, step + 2, step + 3] });
    const session = await MethodSession.create(config(), recording, { order });
    const steps = [await session.trainStep(), await session.trainStep()];
    expect(asked).toEqual([
      [0, 1, 2, 3],
      [1, 2, 3, 4],
    ]);
    expect(steps.map((s) => s.epoch)).toEqual([10, 11]);
    session.dispose();
  });

  test('play steps until pause or until onStep says stop; resume continues; no tensor leaks; dispose frees all', async () => {
    const before = tf.memory().numTensors;
    const session = await MethodSession.create(config(), tinyImages(), { scheduleSteps: 10 });
    const created = tf.memory().numTensors;
    expect(created).toBeGreaterThan(before);
    const seen: number[] = [];
    await session.play((s) => {
      seen.push(s.step);
      return s.step < 2;
    });
    expect(seen).toEqual([1, 2]);
    expect(session.running).toBe(false);
    // Adam's moments exist after the first step; from then on the count stays.
    const settled = tf.memory().numTensors;

    // Resume; pause from outside after the fourth step: the loop ends after the step in flight.
    let paused: Promise<void> | undefined;
    const loop = session.play((s) => {
      seen.push(s.step);
      if (s.step === 4) paused = session.pause();
    });
    expect(session.running).toBe(true);
    await loop;
    await paused;
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(session.step).toBe(4);
    expect(tf.memory().numTensors).toBe(settled);

    // Work queued beside a running loop runs between steps, never inside one.
    const order: string[] = [];
    const running = session.play((s) => {
      order.push(`step ${s.step}`);
      return s.step < 6;
    });
    await session.exclusive(() => {
      order.push('job');
    });
    await running;
    expect(order).toEqual(['step 5', 'job', 'step 6']);
    expect(tf.memory().numTensors).toBe(settled);

    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('reset gives the same fresh weights (the run init key): the same losses again; the count returns to a fresh run', async () => {
    const session = await MethodSession.create(config(), tinyImages());
    const fresh = tf.memory().numTensors;
    const first = [(await session.trainStep()).loss, (await session.trainStep()).loss];
    await session.reset();
    expect(session.step).toBe(0);
    expect(tf.memory().numTensors).toBe(fresh);
    const again = [(await session.trainStep()).loss, (await session.trainStep()).loss];
    expect(again).toEqual(first);
    session.dispose();
  });

  test('a failed step stops the loop with its error; a schedule needs a length', async () => {
    const session = await MethodSession.create(config(), tinyImages());
    await expect(
      session.play(() => {
        throw new Error('page failed');
      }),
    ).rejects.toThrow('page failed');
    expect(session.running).toBe(false);
    expect(Number.isFinite((await session.trainStep()).loss)).toBe(true);
    session.dispose();

    const endless = { ...config(), steps: undefined };
    await expect(MethodSession.create(endless, tinyImages())).rejects.toThrow(ArgumentError);
    await expect(MethodSession.create(endless, tinyImages())).rejects.toThrow(
      "MethodSession: 'scheduleSteps' is undefined but expected an integer >= 1 (or a config with steps)",
    );
  });
});
