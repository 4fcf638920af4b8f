import {
  createMethod,
  type FlowMethod,
  flowEvalSet,
  resolveTrainConfig,
  syntheticFlowPairs,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flowPictures, formatFlowTable, maskBytes } from './flow-task';

const metrics = (epe: number) => ({
  epeAll: epe,
  epeNoc: epe / 2,
  epeOcc: Number.NaN,
  fl: 0.25,
  acc1: 0.5,
  acc3: 0.75,
  acc5: 0.875,
  count: 8,
  nocCount: 8,
  occCount: 0,
});

describe('flow task report', () => {
  it('prints EPE, Fl, accuracies and the fb-occlusion precision and recall, with dashes where undefined', () => {
    const table = formatFlowTable([
      {
        name: 'trained',
        metrics: metrics(1.234),
        occlusion: {
          precision: 0.5,
          recall: 0.25,
          f1: 1 / 3,
          iou: 0.2,
          truePositives: 1,
          falsePositives: 1,
          falseNegatives: 3,
          count: 8,
        },
      },
      { name: 'zero flow', metrics: metrics(4) },
    ]);
    expect(table.split('\n')).toEqual([
      'flow predictor   EPE  EPE noc  EPE occ     Fl  acc 1px  acc 3px  occ prec  occ recall',
      '--------------  ----  -------  -------  -----  -------  -------  --------  ----------',
      'trained         1.23     0.62        —  25.0%    50.0%    75.0%     50.0%       25.0%',
      'zero flow       4.00     2.00        —  25.0%    50.0%    75.0%         —           —',
    ]);
  });

  it('draws masks black and white', () => {
    expect(Array.from(maskBytes([0, 1, 0.4]))).toEqual([0, 0, 0, 255, 255, 255, 0, 0, 0]);
  });

  it('makes one PNG per shown pair for frames, flows, error maps and occlusion masks, and frees its tensors', async () => {
    const config = resolveTrainConfig({
      batchSize: 2,
      steps: 1,
      method: {
        name: 'unflow',
        height: 32,
        width: 32,
        poolSize: 2,
        samples: 1,
        flowNet: { levels: 2, finestLevel: 2, maxDisplacement: 2, widths: [4, 4], estimatorWidths: [4] },
      },
    });
    const set = flowEvalSet(
      { height: 32, width: 32, samples: 1, movingObjects: 2, scenes: 'flying-shapes' },
      { count: 3 },
    );
    const method = (await createMethod(config, syntheticFlowPairs(config))) as FlowMethod;
    const before = tf.memory().numTensors;
    const rows = await flowPictures(set, [{ name: 'untrained', method }], 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(rows.map((r) => r.caption)).toEqual([
      'frame 1',
      'true flow',
      'untrained: flow',
      'untrained: end-point error (0-10 px)',
      'true occlusion',
      'untrained: fb occlusion',
    ]);
    for (const r of rows) {
      expect(r.uris).toHaveLength(2);
      for (const u of r.uris) expect(u.startsWith('data:image/png;base64,')).toBe(true);
    }
    method.dispose();
    set.dispose();
  });
});
