import {
  evaluateRepresentations,
  knnTop1,
  type Representation,
  type RepresentationEvaluation,
  rawPixels,
} from '@genoise/eval';
import { createMethod, type Method, type MethodSpec } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  formatLayerTable,
  type LayerProbeResult,
  layerChartSvg,
  layerTableHtml,
  methodLayers,
  pixelLayers,
  probeLayers,
} from '../layer-probes';
import { type DataSplits, loadData } from '../load-data';
import { formatRepresentationTable, lineChartSvg, scatterSvg } from '../report';
import type { Task } from './task';

/** The default job's kNN monitor interval (`--knn-every`): a few points on the learning curve. */
export const DEFAULT_JOB_KNN_EVERY = 400;

/** Train images used as the kNN bank and linear-probe set by default (the full split with --eval-train-limit 60000). */
export const DEFAULT_EVAL_TRAIN_LIMIT = 10_000;

/** The method's encoder as evaluation sees it: the data's images, through `encoderInput` when it has one. */
export const encoderOf = (name: string, method: Method): Representation => ({
  name,
  encode: (x) =>
    tf.tidy(() => method.encoder!.predict(method.encoderInput ? method.encoderInput(x) : x) as tf.Tensor2D),
});

/**
 * Raw pixels as the method's encoder sees them (through `encoderInput`: colorization's lightness), so the
 * baseline sees what the encoder sees.
 */
export const pixelsOf = (method: Method): Representation =>
  method.encoderInput
    ? {
        name: 'raw pixels (as the encoder sees them)',
        encode: (x) =>
          tf.tidy(() => {
            const seen = method.encoderInput!(x);
            return tf.reshape(seen, [seen.shape[0], -1]) as tf.Tensor2D;
          }),
      }
    : rawPixels;

/**
 * Representation methods: images with labels (Fashion-MNIST, MNIST or a folder), baselines (the same
 * encoder at its random initialisation, raw pixels), an optional kNN monitor, and kNN + linear probes
 * of the pretrained encoder on the test split.
 */
export function representationTask(): Task {
  let splits: DataSplits | undefined;
  return {
    defaultData: 'fashion-mnist',
    async dataDefaults(flags, spec: MethodSpec, log) {
      splits = await loadData(flags.data ?? spec.defaultData ?? 'fashion-mnist', {
        limit: flags.limit,
        size: flags.size,
        channels: flags.channels,
      });
      for (const note of splits.notes) log(note);
      // Data that is not mirror-invariant (digits) gets no mirrored views unless asked.
      return splits.mirrorInvariant || !('views' in spec.options) ? {} : { views: { flip: false } };
    },
    async open(config, flags, { isDefaultJob, log }) {
      const data = splits!;
      const evalOptions = {
        train: data.train,
        test: data.test,
        trainLimit: flags.evalTrainLimit ?? DEFAULT_EVAL_TRAIN_LIMIT,
        seed: config.seed,
        log,
      };
      const knnEvery = flags.eval ? (flags.knnEvery ?? (isDefaultJob ? DEFAULT_JOB_KNN_EVERY : 0)) : 0;
      const knnCurve: { step: number; knnTop1: number }[] = [];
      let baselines: RepresentationEvaluation | undefined;
      const layerBaselines: LayerProbeResult[] = [];
      const layerOptions = {
        train: data.train,
        test: data.test,
        trainLimit: evalOptions.trainLimit,
        seed: config.seed,
      };
      const probeLayersOf = async (representation: ReturnType<typeof methodLayers>) => {
        const started = Date.now();
        try {
          const result = await probeLayers(representation, layerOptions);
          log(
            `  ${representation.name}: layer-wise probes in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
          return result;
        } finally {
          representation.dispose();
        }
      };
      return {
        data: data.train,
        dataName: data.name,
        async baselines() {
          log(
            'baselines: kNN (cosine, T 0.1) and a linear probe on standardised features, on the test split',
          );
          const initial = await createMethod(config, data.train);
          try {
            baselines = await evaluateRepresentations(
              [encoderOf('same encoder, random init', initial), pixelsOf(initial)],
              evalOptions,
            );
            if (flags.layerProbes) {
              log('baselines: a linear probe on every stage (layer-wise, features pooled to ~2048)');
              layerBaselines.push(await probeLayersOf(methodLayers('same encoder, random init', initial)));
              layerBaselines.push(await probeLayersOf(pixelLayers(initial)));
            }
          } finally {
            initial.dispose();
          }
        },
        async onStep(event, method, note) {
          if (knnEvery > 0 && event.step % knnEvery === 0 && event.step < event.totalSteps) {
            const top1 = await knnTop1(encoderOf('monitor', method), evalOptions);
            knnCurve.push({ step: event.step, knnTop1: top1 });
            note(`step ${event.step}: kNN top-1 ${(100 * top1).toFixed(1)}%`);
          }
        },
        async evaluate(result) {
          log('evaluating the pretrained encoder');
          const name = `pretrained (${config.method.name}, ${result.step} steps)`;
          const pretrained = await evaluateRepresentations([encoderOf(name, result.method)], evalOptions);
          const layerResults = flags.layerProbes
            ? [await probeLayersOf(methodLayers(name, result.method)), ...layerBaselines]
            : [];
          const rows = [...pretrained.rows, ...(baselines?.rows ?? [])];
          const embeddings = [...pretrained.embeddings, ...(baselines?.embeddings ?? [])];
          const classNames =
            data.train.classNames ?? Array.from({ length: data.train.numClasses ?? 0 }, (_, i) => String(i));
          const kNote =
            pretrained.k < 200
              ? `The kNN bank holds ${pretrained.bankSize} images, fewer than 200: k was clamped to ${pretrained.k}.`
              : `kNN: k ${pretrained.k}, cosine, T 0.1.`;
          const layerTable = layerResults.length > 0 ? `\n\n${formatLayerTable(layerResults)}` : '';
          return {
            table: `${formatRepresentationTable(rows)}${layerTable}`,
            json: { rows, knnCurve, k: pretrained.k, bankSize: pretrained.bankSize, layers: layerResults },
            summary: [
              ...data.notes,
              `Probes on the test split; kNN bank and linear-probe training set: the first ${pretrained.bankSize} train images (--eval-train-limit).`,
              kNote,
            ],
            sections: [
              {
                heading: 'Representations',
                html: `<pre>${formatRepresentationTable(rows)}</pre>`,
              },
              ...(layerResults.length > 0
                ? [
                    {
                      heading: 'Which layer is best: a linear probe on every stage',
                      html: `${layerTableHtml(layerResults)}${layerChartSvg(layerResults)}`,
                    },
                  ]
                : []),
              ...(knnCurve.length > 0
                ? [
                    {
                      heading: 'kNN top-1 during training',
                      html: lineChartSvg(
                        [
                          ...knnCurve.map((k) => [k.step, k.knnTop1] as const),
                          ...(pretrained.rows[0]?.knnTop1 !== undefined
                            ? [[result.step, pretrained.rows[0].knnTop1] as const]
                            : []),
                        ],
                        { title: 'kNN top-1 (test split) by step' },
                      ),
                    },
                  ]
                : []),
              {
                heading: 'Test embeddings (PCA to 2-D)',
                html: `<div class="plots">${embeddings.map((e) => scatterSvg(e.points, e.labels, classNames, { title: e.name })).join('')}</div>`,
              },
            ],
          };
        },
        dispose() {},
      };
    },
  };
}
