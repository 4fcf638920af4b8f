import { flowToColor, type SceneFlowMetrics } from '@genoise/eval';
import {
  createMethod,
  evaluateSceneFlow,
  predictSceneFlow,
  type SceneFlowEvalSet,
  type SceneFlowMethod,
  type SceneFlowOptions,
  type SceneFlowPredictor,
  sceneFlowEvalSet,
  staticScenePrediction,
  syntheticStereoVideoData,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../args';
import { colorize, pngDataUri, rgbBytes } from '../depth-images';
import { escapeXml, formatTable } from '../report';
import type { Task } from './task';

/** Held-out synthetic stereo videos the report evaluates on. */
export const SCENE_FLOW_EVAL_COUNT = 16;
const SHOWN = 4;

/** One row of the scene-flow table. */
export interface SceneFlowRow {
  readonly name: string;
  readonly metrics: SceneFlowMetrics;
}

/** D1, D2, Fl, SF1 (outlier percentages, lower is better) and the 3-D end-point error as an aligned table. */
export function formatSceneFlowTable(rows: readonly SceneFlowRow[]): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  return formatTable(
    ['scene-flow predictor', 'D1', 'D2', 'Fl', 'SF1', 'EPE3d'],
    rows.map((r) => [
      r.name,
      pct(r.metrics.d1),
      pct(r.metrics.d2),
      pct(r.metrics.fl),
      pct(r.metrics.sf1),
      (r.metrics.epe3d ?? Number.NaN).toFixed(3),
    ]),
  );
}

/** The first `SHOWN` videos' maps as PNG data URIs, one row per caption. */
async function pictures(
  set: SceneFlowEvalSet,
  networks: readonly { name: string; method: SceneFlowMethod }[],
): Promise<{ caption: string; uris: string[] }[]> {
  const [, height, width] = set.left1.shape;
  const shown = Math.min(SHOWN, set.count);
  const pixels = height * width;
  const take = <T extends tf.Tensor>(t: T) =>
    tf.slice(
      t,
      [0, ...new Array<number>(t.rank - 1).fill(0)],
      [shown, ...new Array<number>(t.rank - 1).fill(-1)],
    ) as T;
  const left1 = take(set.left1);
  const left2 = take(set.left2);
  const K = take(set.K);
  const gtDisparity = take(set.disparity1);
  const gtFlow = take(set.flow);
  const valid = take(set.valid);
  const occlusion = take(set.occlusion);
  const predictions = networks.map(({ method }) =>
    predictSceneFlow(method.net, left1, left2, K, set.baseline),
  );
  // One flow scale for every flow picture: the largest true flow.
  const maxMagnitude = Math.max(
    1e-3,
    (await tf.tidy(() => tf.max(tf.sqrt(tf.sum(tf.square(gtFlow), 3)))).data())[0]!,
  );
  const colour = (flow: tf.Tensor4D) => flowToColor(flow, { maxMagnitude });
  const maxDisparity = Math.max(1e-3, (await tf.max(gtDisparity).data())[0]!);
  const read = async (t: tf.Tensor) => {
    const v = Float32Array.from(await t.data());
    t.dispose();
    return v;
  };
  const rgbRow = async (caption: string, values: Float32Array) => ({
    caption,
    uris: await Promise.all(
      Array.from({ length: shown }, (_, i) =>
        pngDataUri(rgbBytes(values.subarray(i * pixels * 3, (i + 1) * pixels * 3)), height, width),
      ),
    ),
  });
  const mapRow = async (caption: string, values: Float32Array, max: number) => ({
    caption,
    uris: await Promise.all(
      Array.from({ length: shown }, (_, i) =>
        pngDataUri(colorize(values.subarray(i * pixels, (i + 1) * pixels), max), height, width),
      ),
    ),
  });
  const rows = [
    await rgbRow('frame 1 (left)', await read(tf.clone(left1))),
    await rgbRow('frame 2 (left)', await read(tf.clone(left2))),
    await mapRow('ground truth: disparity 1', await read(tf.clone(gtDisparity)), maxDisparity),
    await rgbRow('ground truth: optical flow', await read(colour(gtFlow))),
    await mapRow('ground truth: occlusion (bright: hidden in frame 2)', await read(tf.clone(occlusion)), 1),
  ];
  for (const [k, { name }] of networks.entries()) {
    const p = predictions[k]!;
    rows.push(await mapRow(`${name}: disparity 1`, await read(tf.clone(p.disparity1)), maxDisparity));
    rows.push(
      await mapRow(
        `${name}: disparity error |d1 - d1*| (0 to 3 px)`,
        await read(tf.tidy(() => tf.mul(tf.abs(tf.sub(p.disparity1, gtDisparity)), valid))),
        3,
      ),
    );
    rows.push(await rgbRow(`${name}: optical flow from the scene flow`, await read(colour(p.flow))));
    rows.push(
      await mapRow(
        `${name}: flow error ||f - f*|| (0 to 3 px)`,
        await read(tf.tidy(() => tf.mul(tf.sqrt(tf.sum(tf.square(tf.sub(p.flow, gtFlow)), 3, true)), valid))),
        3,
      ),
    );
  }
  tf.dispose([left1, left2, K, gtDisparity, gtFlow, valid, occlusion]);
  for (const p of predictions) tf.dispose(Object.values(p));
  return rows;
}

const predictor =
  (method: SceneFlowMethod): SceneFlowPredictor =>
  (left1, left2, K, baseline) =>
    predictSceneFlow(method.net, left1, left2, K, baseline);

/**
 * Scene-flow methods: a fixed pool of synthetic stereo videos for training, then D1, D2, Fl, SF1 and
 * the 3-D EPE on held-out videos from monocular input, for the trained network, the untrained network
 * and a static-scene baseline (the trained network's disparity, zero 3-D motion), with disparity, flow
 * colour and error pictures.
 */
export function sceneFlowTask(): Task {
  return {
    defaultData: 'synthetic',
    async dataDefaults(flags) {
      if (flags.data !== undefined && flags.data !== 'synthetic')
        throw new UsageError(`scene-flow methods train on --data synthetic only, got '${flags.data}'`);
      return {};
    },
    async open(config, flags, { log }) {
      const options = config.method as unknown as SceneFlowOptions;
      const data = syntheticStereoVideoData({ ...options, seed: config.seed, batchSize: config.batchSize });
      log(
        `data: ${data.name}; ${options.height}x${options.width}, batch ${config.batchSize}, ${config.steps} steps`,
      );
      const set = flags.eval ? sceneFlowEvalSet(options, { count: SCENE_FLOW_EVAL_COUNT }) : undefined;
      const untrained = (await createMethod(config, data)) as SceneFlowMethod;
      const rows: SceneFlowRow[] = [];
      return {
        data,
        dataName: data.name,
        async baselines() {
          if (!set) return;
          rows.push({
            name: 'untrained network',
            metrics: await evaluateSceneFlow(predictor(untrained), set),
          });
        },
        async evaluate(result) {
          const trained = result.method as SceneFlowMethod;
          if (!set) throw new Error('scene-flow evaluation needs the held-out set (run without --no-eval)');
          rows.unshift({
            name: `trained (${config.method.name}, ${result.step} steps)`,
            metrics: await evaluateSceneFlow(predictor(trained), set),
          });
          rows.push({
            name: 'static scene (trained disparity, zero motion)',
            metrics: await evaluateSceneFlow(
              (l1, l2, K, b) => staticScenePrediction(trained.net, l1, l2, K, b),
              set,
            ),
          });
          const table = formatSceneFlowTable(rows);
          const figures = (
            await pictures(set, [
              { name: 'trained', method: trained },
              { name: 'untrained', method: untrained },
            ])
          )
            .map(
              (p) =>
                `<div class="row"><div class="caption">${escapeXml(p.caption)}</div>${p.uris.map((u) => `<img src="${u}" alt="${escapeXml(p.caption)}">`).join('')}</div>`,
            )
            .join('');
          return {
            table,
            json: {
              rows: rows.map((r) => ({
                name: r.name,
                d1: r.metrics.d1,
                d2: r.metrics.d2,
                fl: r.metrics.fl,
                sf1: r.metrics.sf1,
                epe3d: r.metrics.epe3d,
                validPixels: r.metrics.count,
              })),
            },
            summary: [
              `${options.height}x${options.width}; loss levels weighted ${options.levelWeights.join(', ')}; SSIM share ${options.alpha}, disparity smoothness ${options.disparitySmoothness}, 3-D points ${options.pointWeight}, 3-D smoothness ${options.sceneFlowSmoothness}, ${options.balance} balance.`,
              `Metrics on ${SCENE_FLOW_EVAL_COUNT} held-out synthetic stereo videos from monocular input (left views at both times), pooled over valid pixels: D1, D2, Fl, SF1 are outlier rates (error > 3 px and > 5%), EPE3d in scene units (stereo baseline ${set.baseline}). The static-scene baseline keeps the trained network's disparity and sets the scene flow to 0, so disparity 2 = disparity 1 and the flow is 0.`,
            ],
            sections: [
              {
                heading: 'Scene-flow metrics',
                html: `<pre>${escapeXml(table)}</pre><p>Lower is better everywhere.</p>`,
              },
              { heading: 'Disparity, flow and errors', html: figures },
            ],
          };
        },
        dispose() {
          untrained.dispose();
          set?.dispose();
        },
      };
    },
  };
}
