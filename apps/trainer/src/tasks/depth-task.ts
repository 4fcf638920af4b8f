import { loadFrameSequences, loadStereoFolder } from '@genoise/data/node';
import type { DepthMetrics } from '@genoise/eval';
import {
  constantDepthBaseline,
  createMethod,
  type DepthMethod,
  type DepthSettings,
  depthRunSettings,
  evaluateGeometry,
  type GeometryData,
  type GeometryEvalSet,
  type GeometryModels,
  geometryEvalSet,
  predictDisparity,
  sequenceFolderData,
  stereoFolderData,
  syntheticDepthData,
  type TrainConfig,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { colorize, pngDataUri, rgbBytes } from '../depth-images';
import { escapeXml, formatTable } from '../report';
import type { Task } from './task';

/** Held-out synthetic scenes the report evaluates on. */
export const DEPTH_EVAL_COUNT = 16;
const SHOWN = 4;

const COLUMNS = [
  ['abs_rel', 'absRel'],
  ['sq_rel', 'sqRel'],
  ['rmse', 'rmse'],
  ['rmse_log', 'rmseLog'],
  ['a1', 'a1'],
  ['a2', 'a2'],
  ['a3', 'a3'],
] as const;

/** One row of the depth table: a predictor and its metrics. */
export interface DepthRow {
  readonly name: string;
  readonly metrics: DepthMetrics;
}

/** The depth metrics as an aligned text table (errors: lower is better; a1-a3: higher is better). */
export function formatDepthTable(rows: readonly DepthRow[]): string {
  return formatTable(
    ['depth predictor', ...COLUMNS.map(([label]) => label)],
    rows.map((r) => [r.name, ...COLUMNS.map(([, key]) => r.metrics[key].toFixed(3))]),
  );
}

async function loadDepthData(
  config: TrainConfig,
  settings: DepthSettings,
  source: string,
  log: (l: string) => void,
) {
  if (source === 'synthetic') return syntheticDepthData(config);
  const options = { size: [settings.height, settings.width] as [number, number], onWarning: log };
  const folders: { [K in DepthSettings['kind']]: () => Promise<GeometryData> } = {
    'stereo-pairs': async () => stereoFolderData(await loadStereoFolder(source, options), source),
    'frame-triplets': async () => sequenceFolderData(await loadFrameSequences(source, options), source),
  };
  return folders[settings.kind]();
}

/**
 * How much structure a network's disparity has on the held-out images: `spread` is the per-image
 * coefficient of variation (std / mean) of the disparity, averaged over images (0 for the constant-depth
 * collapse), and `saturated` the share of pixels within 1% of either end of the head's range (a
 * sigmoid pinned at 0 or 1 passes no gradient).
 */
export async function disparityStructure(
  models: GeometryModels,
  images: tf.Tensor4D,
  range: number,
): Promise<{ spread: number; saturated: number }> {
  const [n, height, width] = images.shape;
  const d = predictDisparity(models, images);
  const values = await d.data();
  d.dispose();
  const pixels = height * width;
  let spread = 0;
  let saturated = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let squares = 0;
    for (let j = i * pixels; j < (i + 1) * pixels; j++) {
      const v = values[j]!;
      sum += v;
      squares += v * v;
      if (v < 0.01 * range || v > 0.99 * range) saturated++;
    }
    const mean = sum / pixels;
    spread += mean > 0 ? Math.sqrt(Math.max(0, squares / pixels - mean * mean)) / mean : 0;
  }
  return { spread: spread / n, saturated: saturated / (n * pixels) };
}

/** Disparity pictures: per shown image, the input, the ground truth and each network's prediction. */
async function pictures(
  set: GeometryEvalSet,
  networks: readonly { name: string; models: GeometryModels }[],
  withGroundTruth: boolean,
): Promise<{ caption: string; uris: string[] }[]> {
  const [n, height, width] = set.images.shape;
  const shown = Math.min(SHOWN, n);
  const images = tf.slice(set.images, [0, 0, 0, 0], [shown, -1, -1, -1]);
  const gtDisparity = tf.tidy(() =>
    tf.div(1, tf.clipByValue(tf.slice(set.depth, [0, 0, 0, 0], [shown, -1, -1, -1]), 1e-3, 1e9)),
  );
  const pixels = height * width;
  const rgb = await images.data();
  const gt = await gtDisparity.data();
  const predicted: Float32Array[] = [];
  for (const { models } of networks) {
    const d = predictDisparity(models, images);
    predicted.push(Float32Array.from(await d.data()));
    d.dispose();
  }
  tf.dispose([images, gtDisparity]);
  const each = (f: (i: number) => Promise<string>) =>
    Promise.all(Array.from({ length: shown }, (_, i) => f(i)));
  const rows = [
    {
      caption: 'input',
      uris: await each((i) =>
        pngDataUri(rgbBytes(rgb.subarray(i * pixels * 3, (i + 1) * pixels * 3)), height, width),
      ),
    },
  ];
  if (withGroundTruth)
    rows.push({
      caption: 'ground truth (1 / depth)',
      uris: await each((i) => pngDataUri(colorize(gt.subarray(i * pixels, (i + 1) * pixels)), height, width)),
    });
  for (const [k, { name }] of networks.entries())
    rows.push({
      caption: `${name}: disparity`,
      uris: await each((i) =>
        pngDataUri(colorize(predicted[k]!.subarray(i * pixels, (i + 1) * pixels)), height, width),
      ),
    });
  return rows;
}

/** The first few training examples of folder data as a picture set (no ground truth). */
function folderPreview(data: GeometryData): GeometryEvalSet {
  const n = Math.min(SHOWN, data.size ?? SHOWN);
  const indices = Array.from({ length: n }, (_, i) => i);
  const examples = data.examples(indices) as unknown as Record<string, tf.Tensor>;
  const images = (examples['left'] ?? examples['target']) as tf.Tensor4D;
  tf.dispose(Object.values(examples).filter((t) => t !== images));
  const depth = tf.ones([n, data.height, data.width, 1]) as tf.Tensor4D;
  return { images, depth, fxBaseline: [], kind: data.kind, dispose: () => tf.dispose([images, depth]) };
}

const snakeCase = (m: DepthMetrics) =>
  Object.fromEntries(COLUMNS.map(([label, key]) => [label, m[key]])) as Record<string, number>;

/**
 * Depth methods: synthetic scenes (or folders of stereo pairs / frame sequences), baselines (the
 * untrained network and a constant depth), depth metrics on held-out synthetic scenes, and disparity
 * pictures beside the ground truth.
 */
export function depthTask(): Task {
  return {
    defaultData: 'synthetic',
    async dataDefaults() {
      return {};
    },
    async open(config, flags, { log }) {
      const settings = depthRunSettings(config);
      const source = flags.data ?? 'synthetic';
      const data = await loadDepthData(config, settings, source, log);
      log(
        `data: ${data.name}; ${settings.height}x${settings.width}, batch ${config.batchSize}, ${config.steps} steps`,
      );
      const set =
        flags.eval && source === 'synthetic'
          ? geometryEvalSet(settings, { count: DEPTH_EVAL_COUNT })
          : undefined;
      const untrained = (await createMethod(config, data)) as DepthMethod;
      const rows: DepthRow[] = [];
      return {
        data,
        dataName: data.name,
        async baselines() {
          if (!set) return;
          rows.push({
            name: 'untrained network',
            metrics: await evaluateGeometry(untrained.geometry, settings, set),
          });
          rows.push({
            name: 'constant depth (median ground truth)',
            metrics: await constantDepthBaseline(settings, set),
          });
        },
        async evaluate(result) {
          const trained = result.method as DepthMethod;
          if (set)
            rows.unshift({
              name: `trained (${config.method.name}, ${result.step} steps)`,
              metrics: await evaluateGeometry(trained.geometry, settings, set),
            });
          const table =
            rows.length > 0
              ? formatDepthTable(rows)
              : 'no ground truth for folder data: depth metrics skipped';
          const range = settings.kind === 'stereo-pairs' ? settings.maxDisparity : 1;
          const structure = set
            ? await Promise.all(
                [trained, untrained].map((m) => disparityStructure(m.geometry, set.images, range)),
              )
            : undefined;
          const structureLine = structure
            ? `Disparity structure (per-image std/mean; 0 is the constant-depth collapse): trained ${structure[0]!.spread.toFixed(3)}, untrained ${structure[1]!.spread.toFixed(3)}; saturated pixels (within 1% of the sigmoid's ends): trained ${(100 * structure[0]!.saturated).toFixed(1)}%, untrained ${(100 * structure[1]!.saturated).toFixed(1)}%.`
            : undefined;
          const shownSet = set ?? folderPreview(data);
          const pictureRows = await pictures(
            shownSet,
            [
              { name: 'trained', models: trained.geometry },
              { name: 'untrained', models: untrained.geometry },
            ],
            set !== undefined,
          );
          if (!set) shownSet.dispose();
          const figures = pictureRows
            .map(
              (p) =>
                `<div class="row"><div class="caption">${escapeXml(p.caption)}</div>${p.uris.map((u) => `<img src="${u}" alt="${escapeXml(p.caption)}">`).join('')}</div>`,
            )
            .join('');
          return {
            table,
            json: {
              rows: rows.map((r) => ({ name: r.name, ...snakeCase(r.metrics) })),
              ...(structure
                ? { disparityStructure: { trained: structure[0], untrained: structure[1] } }
                : {}),
            },
            summary: [
              `${settings.height}x${settings.width}; loss weights: SSIM share ${settings.alpha}, smoothness ${settings.smoothness}/2^s over ${config.method['scales']} scales.`,
              set
                ? `Metrics on ${DEPTH_EVAL_COUNT} held-out synthetic scenes (ground truth between 1e-3 and 80 units; ${settings.kind === 'stereo-pairs' ? 'metric depth from disparity' : 'per-image median scaling'}; a1-a3: share of pixels within 1.25^k).`
                : 'Folder data has no ground truth: only pictures.',
              ...(structureLine ? [structureLine] : []),
            ],
            sections: [
              ...(rows.length > 0
                ? [
                    {
                      heading: 'Depth metrics',
                      html: `<pre>${escapeXml(table)}</pre><p>abs_rel, sq_rel, rmse, rmse_log: lower is better; a1-a3: higher is better.</p>`,
                    },
                  ]
                : []),
              { heading: 'Disparity (bright is near)', html: figures },
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
