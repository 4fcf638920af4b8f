import { ArgumentError, createKey, normalValues, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clusters } from '../../test/fixtures';
import { type LayerProbeRow, layerwiseProbes, type ProbeSplit } from './layerwise-probes';

/**
 * A split of `rows` examples with two "layers": 'informative' holds Gaussian clusters around
 * 4·e_class (8-D), 'noise' holds 12-D standard-normal values that do not depend on the label.
 */
async function split(seed: number, rows: number): Promise<ProbeSplit> {
  const { tensor, labels } = clusters(seed, rows, 8, 3, 4);
  const informative = (await tensor.data()) as Float32Array;
  tensor.dispose();
  return {
    labels,
    stages: [
      { name: 'informative', dim: 8, features: informative },
      { name: 'noise', dim: 12, features: normalValues(createKey(seed + 100), rows * 12) },
    ],
  };
}

describe('layerwiseProbes', () => {
  it('ranks an informative layer above a noise layer', async () => {
    const train = await split(1, 300);
    const test = await split(2, 150);
    const seen: string[] = [];
    const rows = await layerwiseProbes({
      train,
      test,
      numClasses: 3,
      epochs: 20,
      key: createKey(0),
      onLayer: (row, i) => seen.push(`${i}:${row.name}`),
    });
    expect(seen).toEqual(['0:informative', '1:noise']);
    expect(rows.map((r) => [r.name, r.dim])).toEqual([
      ['informative', 8],
      ['noise', 12],
    ]);
    const [informative, noise] = rows as [LayerProbeRow, LayerProbeRow];
    // Clusters 4 apart with unit noise: the Bayes accuracy is about 0.98; chance is 1/3.
    expect(informative.testAccuracy).toBeGreaterThan(0.9);
    expect(informative.trainAccuracy).toBeGreaterThan(0.9);
    expect(noise.testAccuracy).toBeLessThan(0.5);
    expect(informative.testAccuracy).toBeGreaterThan(noise.testAccuracy + 0.4);
    // The noise head can only fit the training set, not generalise.
    expect(noise.trainAccuracy).toBeGreaterThan(noise.testAccuracy);
  });

  it('is deterministic for a key and leaks nothing', async () => {
    const train = await split(3, 60);
    const test = await split(4, 30);
    const run = () => layerwiseProbes({ train, test, numClasses: 3, epochs: 3, key: createKey(5) });
    let first: LayerProbeRow[] = [];
    await expectNoLeaks(async () => {
      first = await run();
    });
    expect(await run()).toEqual(first);
  });

  it('names bad arguments', async () => {
    const train = await split(3, 60);
    const test = await split(4, 30);
    const base = { train, test, numClasses: 3, epochs: 1, key: createKey(0) };
    const before = tf.memory().numTensors;
    await expect(
      layerwiseProbes({ ...base, test: { ...test, stages: test.stages.slice(0, 1) } }),
    ).rejects.toThrow("layerwiseProbes: 'test.stages' is 1 stages but expected 2 stages (as train).");
    await expect(
      layerwiseProbes({ ...base, test: { ...test, stages: [test.stages[1]!, test.stages[0]!] } }),
    ).rejects.toThrow(ArgumentError);
    const short = { ...train.stages[0]!, features: train.stages[0]!.features.subarray(0, 10) };
    await expect(
      layerwiseProbes({ ...base, train: { ...train, stages: [short, train.stages[1]!] } }),
    ).rejects.toThrow(ShapeError);
    await expect(
      layerwiseProbes({ ...base, train: { ...train, stages: [short, train.stages[1]!] } }),
    ).rejects.toThrow(
      "layerwiseProbes: 'train.stages[0]' ('informative') holds 10 values but 'train.labels' has 60 examples and dim is 8; expected 480.",
    );
    await expect(layerwiseProbes({ ...base, train: { stages: [], labels: train.labels } })).rejects.toThrow(
      ArgumentError,
    );
    await expect(layerwiseProbes({ ...base, numClasses: 2 })).rejects.toThrow(
      "linearProbe: 'trainLabels' holds 2 at index 2 but expected integers in [0, 2) (numClasses = 2).",
    );
    await expect(layerwiseProbes({ ...base, epochs: 0 })).rejects.toThrow(ArgumentError);
    await expect(layerwiseProbes({ ...base, seed: 1 } as never)).rejects.toThrow("unknown key 'seed'");
    expect(tf.memory().numTensors).toBe(before);
  });
});
