import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededLabels } from '../../test/fixtures';
import { confusionMatrix } from './confusion-matrix';

describe('confusionMatrix', () => {
  it('puts true classes on rows and predictions on columns (hand case)', async () => {
    expect(await confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 1), 2)).toEqual([
      [1, 1],
      [0, 1],
    ]);
  });

  it('rows sum to class counts and the trace to the hits (seeded)', async () => {
    const labels = seededLabels(1, 300, 4);
    const predictions = seededLabels(2, 300, 4);
    const matrix = await confusionMatrix(tf.tensor1d(predictions, 'int32'), labels, 4);
    for (let c = 0; c < 4; c++) {
      const count = labels.filter((l) => l === c).length;
      expect(matrix[c]!.reduce((a, b) => a + b, 0)).toBe(count);
    }
    let hits = 0;
    for (let i = 0; i < 300; i++) if (predictions[i] === labels[i]) hits++;
    expect(matrix.reduce((sum, row, c) => sum + row[c]!, 0)).toBe(hits);
  });

  it('names a label outside [0, numClasses)', async () => {
    await expect(confusionMatrix(Int32Array.of(0, 2), Int32Array.of(0, 1), 2)).rejects.toThrow(
      "confusionMatrix: 'predictions' holds 2 at index 1 but expected integers in [0, 2) (numClasses = 2).",
    );
    await expect(confusionMatrix(Int32Array.of(0, 1), Int32Array.of(-1, 1), 2)).rejects.toThrow(
      "confusionMatrix: 'labels' holds -1 at index 0",
    );
    await expect(confusionMatrix(Int32Array.of(0), Int32Array.of(0), 0)).rejects.toThrow(
      "confusionMatrix: 'numClasses' is 0 but expected an integer >= 1.",
    );
  });
});
