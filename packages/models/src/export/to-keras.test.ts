import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ArgumentError, createKey, uniform } from '@genoise/core';
import { expectNoLeaks, testBackend } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { resnet18 } from '../encoders/resnet18';
import { smallConvNet } from '../encoders/small-conv-net';
import { depthNet } from '../geometry/depth-net';
import { poseNet } from '../geometry/pose-net';
import { projectionHead } from '../heads/projection-head';
import { encodeNpz } from './npz';
import { toKeras } from './to-keras';
import { writeKerasExport } from './write-keras-export';

const CHECK = resolve(__dirname, '../../../../tooling/keras-check/check.py');

/** A Python with keras and tensorflow importable: $GENOISE_PYTHON, the genoise venv, then python3. */
function findKerasPython(): string | undefined {
  const venv = join(homedir(), '.cache', 'genoise', 'py', 'bin', 'python');
  const candidates = [process.env['GENOISE_PYTHON'], existsSync(venv) ? venv : undefined, 'python3'];
  const probe =
    'import importlib.util as u, sys; sys.exit(0 if u.find_spec("keras") and u.find_spec("tensorflow") else 1)';
  for (const python of candidates) {
    if (python === undefined) continue;
    const r = spawnSync(python, ['-c', probe], { timeout: 20_000 });
    if (r.status === 0) return python;
  }
  return undefined;
}

/** A few SGD steps in training mode, so weights and the BN moving statistics are no longer their init. */
function train(model: tfl.LayersModel, input: tf.Tensor, steps = 3): void {
  const optimizer = tf.train.sgd(0.01);
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(() => {
      const y = model.apply(input, { training: true }) as tf.Tensor | tf.Tensor[];
      const outputs = Array.isArray(y) ? y : [y];
      return tf.addN(outputs.map((o) => tf.mean(tf.square(tf.sub(o, 0.3))))) as tf.Scalar;
    }, true);
    loss?.dispose();
  }
  optimizer.dispose();
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('toKeras', () => {
  it('maps a smallConvNet layer by layer to built-in Keras layers, with its weights in Keras order', async () => {
    const model = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(0) });
    const exported = await toKeras(model);
    const layers = exported.config.config.layers;
    expect(layers.map((l) => l.class_name)).toEqual([
      'InputLayer',
      ...['Conv2D', 'BatchNormalization', 'ReLU', 'MaxPooling2D'],
      ...['Conv2D', 'BatchNormalization', 'ReLU', 'MaxPooling2D'],
      'GlobalAveragePooling2D',
    ]);
    expect(layers[0]!.config).toEqual({
      name: 'small_conv_net_input',
      batch_shape: [null, 8, 8, 1],
      dtype: 'float32',
      sparse: false,
    });
    expect(layers[1]!.config).toMatchObject({
      filters: 4,
      kernel_size: [3, 3],
      strides: [1, 1],
      padding: 'same',
      data_format: 'channels_last',
      use_bias: false,
      activation: 'linear',
    });
    expect(layers[2]!.config).toMatchObject({ axis: -1, momentum: 0.9, epsilon: 1e-5 });
    expect(layers[2]!.inbound_nodes).toEqual([[['small_conv_net_stage1_conv', 0, 0, {}]]]);
    expect(exported.config.config.input_layers).toEqual(['small_conv_net_input', 0, 0]);
    expect(exported.config.config.output_layers).toEqual(['small_conv_net_pool', 0, 0]);

    // Every tfjs weight, once, layer by layer in each layer's order, with its values.
    const layerWeights = model.layers.flatMap((l) => l.weights);
    expect(exported.weights.map((w) => `${w.layer}/${w.name}`)).toEqual(
      layerWeights.map((w) => w.originalName),
    );
    for (const [i, w] of exported.weights.entries()) {
      expect(w.shape).toEqual(layerWeights[i]!.shape);
      expect(Array.from(w.values)).toEqual(await values(layerWeights[i]!.read()));
    }
    expect(exported.manifest.layers[1]).toEqual({
      name: 'small_conv_net_stage1_bn',
      source: 'GenoiseBatchNorm',
      keras: 'BatchNormalization',
      weights: ['gamma', 'beta', 'moving_mean', 'moving_variance'],
    });
    expect(exported.manifest.architecture?.name).toBe('smallConvNet');
    expect(Object.keys(exported.files).sort()).toEqual([
      'config.json',
      'export.json',
      'load_keras.py',
      'weights.npz',
    ]);
    model.dispose();
  });

  it('maps GenoiseAffine to Rescaling and keeps a multi-output graph (depthNet)', async () => {
    const model = depthNet({
      inputShape: [16, 16, 3],
      encoderWidths: [4, 8],
      decoderWidths: [4, 8],
      scales: 2,
      minDisparity: 0.01,
      maxDisparity: 10,
      key: createKey(1),
    });
    const { config } = await toKeras(model);
    const rescaling = config.config.layers.filter((l) => l.class_name === 'Rescaling');
    expect(rescaling.map((l) => l.config)).toEqual(
      [0, 1].map((i) => ({
        name: `depth_net_disp${i}`,
        trainable: true,
        dtype: 'float32',
        scale: 10 - 0.01,
        offset: 0.01,
      })),
    );
    expect(config.config.layers.some((l) => l.class_name === 'UpSampling2D')).toBe(true);
    const concat = config.config.layers.find((l) => l.class_name === 'Concatenate')!;
    expect(concat.inbound_nodes[0]).toHaveLength(2);
    expect(config.config.output_layers).toEqual([
      ['depth_net_disp0', 0, 0],
      ['depth_net_disp1', 0, 0],
    ]);
    model.dispose();
  });

  it('refuses a layer without a Keras equivalent, naming the layer and its class', async () => {
    const input = tfl.input({ shape: [4] });
    const embedded = tfl.layers.embedding({ name: 'words', inputDim: 10, outputDim: 2 }).apply(input);
    const model = tfl.model({ inputs: input, outputs: embedded as tfl.SymbolicTensor });
    const error = await toKeras(model).catch((e: unknown) => e);
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^toKeras: layer 'words' \(class Embedding\) has no Keras equivalent/,
    );

    const image = tfl.input({ shape: [4, 4, 1] });
    const up = tfl.layers.upSampling2d({ name: 'up', interpolation: 'bilinear' }).apply(image);
    const bilinear = tfl.model({ inputs: image, outputs: up as tfl.SymbolicTensor });
    await expect(toKeras(bilinear)).rejects.toThrow(
      /layer 'up' \(class UpSampling2D\) interpolates 'bilinear'/,
    );

    const hard = tfl.layers.dense({ name: 'gate', units: 2, activation: 'hardSigmoid' }).apply(input);
    const gated = tfl.model({ inputs: input, outputs: hard as tfl.SymbolicTensor });
    await expect(toKeras(gated)).rejects.toThrow(
      /layer 'gate' \(class Dense\) uses activation 'hardSigmoid'/,
    );

    const inner = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 })] });
    const outer = tfl.model({ inputs: input, outputs: inner.apply(input) as tfl.SymbolicTensor });
    await expect(toKeras(outer)).rejects.toThrow(/is a nested model; export it on its own/);
    await expect(toKeras('model' as unknown as tfl.LayersModel)).rejects.toThrow(
      "toKeras: 'model' is model but expected a tf.LayersModel.",
    );
    tf.dispose([model, bilinear, gated, outer].flatMap((m) => m.weights.map((w) => w.read())));
  });

  it('exports a Sequential model with an explicit input layer', async () => {
    const model = tfl.sequential({
      name: 'seq',
      layers: [
        tfl.layers.dense({ inputShape: [3], units: 2, activation: 'relu' }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    const { config, weights } = await toKeras(model);
    expect(config.config.layers.map((l) => [l.class_name, l.inbound_nodes])).toEqual([
      ['InputLayer', []],
      ['Dense', [[['seq_input', 0, 0, {}]]]],
      ['Dense', [[[model.layers[0]!.name, 0, 0, {}]]]],
    ]);
    expect(weights.map((w) => w.name)).toEqual(['kernel', 'bias', 'kernel', 'bias']);
    model.dispose();
  });

  it('checks the reference batch against the model input and leaks no tensor', async () => {
    const model = smallConvNet({ inputShape: [8, 8, 1], widths: [4], key: createKey(2) });
    const wrong = tf.zeros([2, 8, 8, 3]);
    await expect(toKeras(model, { reference: wrong })).rejects.toThrow(
      "toKeras: 'options.reference' is [2,8,8,3] but expected [B,8,8,1] for input 0.",
    );
    const x = uniform(createKey(3), [2, 8, 8, 1]);
    await expectNoLeaks(async () => {
      const exported = await toKeras(model, { reference: x });
      expect(exported.files['reference.npz']).toBeInstanceOf(Uint8Array);
    });
    tf.dispose([wrong, x]);
    model.dispose();
  });
});

const python = findKerasPython();
const roots: string[] = [];

describe('Keras 3 loads the export and matches tfjs (tooling/keras-check/check.py)', () => {
  afterAll(() => {
    for (const f of roots) rmSync(f, { recursive: true, force: true });
  });

  if (python === undefined) {
    it.skip('skipped: no python3 with keras and tensorflow (pip install tensorflow-cpu keras, or set GENOISE_PYTHON)', () => {});
    return;
  }

  it('trained smallConvNet, resnet18, projection head, depthNet and poseNet match within atol 1e-4', async () => {
    const root = mkdtempSync(join(tmpdir(), `genoise-keras-${testBackend()}-`));
    roots.push(root);
    const cases: { name: string; model: tfl.LayersModel; input: tf.Tensor }[] = [
      {
        name: 'small-conv-net',
        model: smallConvNet({ inputShape: [12, 12, 1], widths: [8, 16], key: createKey(10) }),
        input: uniform(createKey(20), [4, 12, 12, 1]),
      },
      {
        name: 'small-conv-net-stride',
        model: smallConvNet({
          inputShape: [12, 12, 3],
          widths: [8, 16],
          downsampling: 'stride',
          key: createKey(11),
        }),
        input: uniform(createKey(21), [4, 12, 12, 3]),
      },
      {
        name: 'resnet18',
        model: resnet18({ inputShape: [16, 16, 3], widthMultiplier: 0.0625, key: createKey(12) }),
        input: uniform(createKey(22), [4, 16, 16, 3]),
      },
      {
        name: 'projection-head',
        model: projectionHead({ inputDim: 16, hiddenDim: 32, outputDim: 8, key: createKey(13) }),
        input: uniform(createKey(23), [8, 16], { min: -1, max: 1 }),
      },
      {
        name: 'depth-net',
        model: depthNet({
          inputShape: [16, 16, 3],
          encoderWidths: [4, 8],
          decoderWidths: [4, 8],
          scales: 2,
          minDisparity: 0.01,
          maxDisparity: 10,
          key: createKey(14),
        }),
        input: uniform(createKey(24), [2, 16, 16, 3]),
      },
      {
        name: 'pose-net',
        model: poseNet({
          inputShape: [16, 16, 3],
          frames: 3,
          widths: [4, 8],
          batchNorm: true,
          key: createKey(15),
        }),
        input: uniform(createKey(25), [2, 16, 16, 9]),
      },
    ];
    for (const c of cases) {
      train(c.model, c.input);
      // The comparison means something only if the outputs vary (no saturated or dead network).
      const predicted = c.model.predict(c.input);
      for (const y of Array.isArray(predicted) ? predicted : [predicted]) {
        const spread = tf.tidy(() => tf.sub(tf.max(y), tf.min(y)));
        expect((await spread.data())[0], c.name).toBeGreaterThan(1e-3);
        tf.dispose([y, spread]);
      }
      await writeKerasExport(c.model, join(root, c.name), { reference: c.input });
      if (c.name === 'small-conv-net') {
        // The same export with the reference outputs moved by 1e-3: the check must fail on it.
        const tampered = join(root, 'tampered');
        await writeKerasExport(c.model, tampered, { reference: c.input });
        const y = c.model.predict(c.input) as tf.Tensor;
        const reference = encodeNpz({
          input: { shape: c.input.shape, values: Float32Array.from(await c.input.data()) },
          output: { shape: y.shape, values: Float32Array.from(await y.data(), (v) => v + 1e-3) },
        });
        writeFileSync(join(tampered, 'reference.npz'), reference);
        y.dispose();
      }
      c.model.dispose();
      c.input.dispose();
    }
    const folders = [...cases.map((c) => join(root, c.name)), join(root, 'tampered')];
    const r = spawnSync(python, [CHECK, '--json', '--no-install', ...folders], {
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    const reports = r.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map(
        (line) =>
          JSON.parse(line) as {
            ok: boolean;
            outputs: { maxAbsDiff: number; maxAbsValue: number }[];
            error?: string;
          },
      );
    expect(reports, r.stderr).toHaveLength(cases.length + 1);
    const tampered = reports.pop()!;
    expect(reports.map((rep) => rep.error ?? rep.ok)).toEqual(cases.map(() => true));
    expect(tampered.ok).toBe(false);
    expect(tampered.outputs[0]!.maxAbsDiff).toBeCloseTo(1e-3, 5);
    expect(r.status).toBe(1); // a mismatch fails the check
    const worst = Math.max(...reports.flatMap((rep) => rep.outputs.map((o) => o.maxAbsDiff)));
    const detail = cases.map(
      (c, i) =>
        `${c.name} ${Math.max(...reports[i]!.outputs.map((o) => o.maxAbsDiff)).toExponential(1)} (|y| <= ${Math.max(...reports[i]!.outputs.map((o) => o.maxAbsValue)).toPrecision(3)})`,
    );
    console.log(
      `keras-check (${testBackend()}): max |keras - tfjs| ${worst.toExponential(2)}; ${detail.join(', ')}`,
    );
    expect(worst).toBeLessThan(1e-4);
    const manifest = JSON.parse(readFileSync(join(root, 'resnet18', 'export.json'), 'utf8')) as {
      reference: boolean;
    };
    expect(manifest.reference).toBe(true);
  });
});
