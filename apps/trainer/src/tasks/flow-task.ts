import type { FlowMetrics, MaskAgreement } from '@genoise/eval';
import { flowToColor } from '@genoise/eval';
import {
  createMethod,
  evaluateFlow,
  type FlowEvalSet,
  type FlowMethod,
  flowDataSettings,
  flowEvalSet,
  predictFlow,
  syntheticFlowPairs,
  zeroFlowBaseline,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { colorize, pngDataUri, rgbBytes } from '../depth-images';
import { escapeXml, formatTable } from '../report';
import type { Task } from './task';

/** Held-out synthetic pairs the report evaluates on. */
export const FLOW_EVAL_COUNT = 16;
const SHOWN = 4;

/** One row of the flow table: a predictor, its flow metrics and (for networks) its fb-occlusion agreement. */
export interface FlowRow {
  readonly name: string;
  readonly metrics: FlowMetrics;
  readonly occlusion?: MaskAgreement | undefined;
}

const fixed = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const percent = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`;

/** The flow metrics as an aligned text table: EPE all / noc / occ (px), Fl, 1/3-px accuracy, and the fb-occlusion mask's precision and recall. */
export function formatFlowTable(rows: readonly FlowRow[]): string {
  return formatTable(
    ['flow predictor', 'EPE', 'EPE noc', 'EPE occ', 'Fl', 'acc 1px', 'acc 3px', 'occ prec', 'occ recall'],
    rows.map((r) => [
      r.name,
      fixed(r.metrics.epeAll),
      fixed(r.metrics.epeNoc),
      fixed(r.metrics.epeOcc),
      percent(r.metrics.fl),
      percent(r.metrics.acc1),
      percent(r.metrics.acc3),
      percent(r.occlusion?.precision),
      percent(r.occlusion?.recall),
    ]),
  );
}

/** One row of pictures: a caption and one PNG data URI per shown pair. */
export interface PictureRow {
  readonly caption: string;
  readonly uris: readonly string[];
}

/** A `[H, W, 1]` 0/1 mask as black (0) and white (1) RGB bytes. */
export function maskBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 3);
  for (let i = 0; i < values.length; i++) out.fill(values[i]! > 0.5 ? 255 : 0, 3 * i, 3 * i + 3);
  return out;
}

/**
 * The report's pictures for the first `shown` pairs of a set: frame 1, the true flow and each network's
 * flow (Middlebury colours, one scale per pair: the largest true flow length), each network's
 * end-point-error map (magma, 0 to 10 px), and the true occlusion beside each network's
 * forward-backward occlusion mask (white = occluded).
 */
export async function flowPictures(
  set: FlowEvalSet,
  networks: readonly { readonly name: string; readonly method: FlowMethod }[],
  shown = SHOWN,
): Promise<PictureRow[]> {
  const [n, height, width] = set.frame1.shape;
  const count = Math.min(shown, n);
  const pixels = height * width;
  const take = (t: tf.Tensor4D) => tf.slice(t, [0, 0, 0, 0], [count, -1, -1, -1]) as tf.Tensor4D;
  const frame1 = take(set.frame1);
  const frame2 = take(set.frame2);
  const truth = take(set.flow);
  const occlusion = take(set.occlusion);
  const maxOf = async (flow: tf.Tensor4D, i: number) => {
    const m = tf.tidy(() => tf.max(tf.norm(tf.slice(flow, [i, 0, 0, 0], [1, -1, -1, -1]), 'euclidean', 3)));
    const v = (await m.data())[0]!;
    m.dispose();
    return v > 0 ? v : 1;
  };
  const scales = await Promise.all(Array.from({ length: count }, (_, i) => maxOf(truth, i)));
  const colours = async (flow: tf.Tensor4D) => {
    const uris: string[] = [];
    for (let i = 0; i < count; i++) {
      const rgb = tf.tidy(() =>
        flowToColor(tf.slice(flow, [i, 0, 0, 0], [1, -1, -1, -1]), { maxMagnitude: scales[i]! }),
      );
      uris.push(await pngDataUri(rgbBytes(await rgb.data()), height, width));
      rgb.dispose();
    }
    return uris;
  };
  const each = async (values: Float32Array, f: (v: Float32Array) => Uint8Array) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        pngDataUri(f(values.subarray(i * pixels, (i + 1) * pixels)), height, width),
      ),
    );
  const rgb = Float32Array.from(await frame1.data());
  const rows: PictureRow[] = [
    {
      caption: 'frame 1',
      uris: await Promise.all(
        Array.from({ length: count }, (_, i) =>
          pngDataUri(rgbBytes(rgb.subarray(i * pixels * 3, (i + 1) * pixels * 3)), height, width),
        ),
      ),
    },
    { caption: 'true flow', uris: await colours(truth) },
  ];
  const errorRows: PictureRow[] = [];
  const maskRows: PictureRow[] = [
    { caption: 'true occlusion', uris: await each(Float32Array.from(await occlusion.data()), maskBytes) },
  ];
  for (const { name, method } of networks) {
    const prediction = predictFlow(method.net, frame1, frame2, method.options.occlusion);
    rows.push({ caption: `${name}: flow`, uris: await colours(prediction.forward) });
    const error = tf.tidy(() => tf.norm(tf.sub(prediction.forward, truth), 'euclidean', 3));
    errorRows.push({
      caption: `${name}: end-point error (0-10 px)`,
      uris: await each(Float32Array.from(await error.data()), (v) => colorize(v, 10)),
    });
    maskRows.push({
      caption: `${name}: fb occlusion`,
      uris: await each(Float32Array.from(await prediction.occlusion.data()), maskBytes),
    });
    tf.dispose([error, prediction.forward, prediction.backward, prediction.occlusion]);
  }
  tf.dispose([frame1, frame2, truth, occlusion]);
  return [...rows, ...errorRows, ...maskRows];
}

const figureHtml = (rows: readonly PictureRow[]) =>
  rows
    .map(
      (p) =>
        `<div class="row"><div class="caption">${escapeXml(p.caption)}</div>${p.uris.map((u) => `<img src="${u}" alt="${escapeXml(p.caption)}">`).join('')}</div>`,
    )
    .join('');

const jsonRow = (r: FlowRow) => ({
  name: r.name,
  epe: r.metrics.epeAll,
  epe_noc: r.metrics.epeNoc,
  epe_occ: r.metrics.epeOcc,
  fl: r.metrics.fl,
  acc1: r.metrics.acc1,
  acc3: r.metrics.acc3,
  acc5: r.metrics.acc5,
  ...(r.occlusion
    ? {
        occlusion_precision: r.occlusion.precision,
        occlusion_recall: r.occlusion.recall,
        occlusion_f1: r.occlusion.f1,
      }
    : {}),
});

/**
 * Flow methods: synthetic frame pairs (a fixed pool), baselines (zero flow and the untrained network),
 * flow metrics and the forward-backward occlusion mask's agreement with the true occlusion on held-out
 * synthetic pairs, and pictures (flow colours, error maps, occlusion masks).
 */
export function flowTask(): Task {
  return {
    defaultData: 'synthetic',
    async dataDefaults() {
      return {};
    },
    async open(config, flags, { log }) {
      const source = flags.data ?? 'synthetic';
      if (source !== 'synthetic')
        throw new Error(
          `flow methods train on synthetic frame pairs only (--data synthetic), not ${JSON.stringify(source)}`,
        );
      const settings = flowDataSettings(config);
      const data = syntheticFlowPairs(config);
      log(`data: ${data.name}; batch ${config.batchSize}, ${config.steps} steps`);
      const set = flags.eval ? flowEvalSet(settings, { count: FLOW_EVAL_COUNT }) : undefined;
      const untrained = (await createMethod(config, data)) as FlowMethod;
      const rows: FlowRow[] = [];
      return {
        data,
        dataName: data.name,
        async baselines() {
          if (!set) return;
          rows.push({ name: 'zero flow', metrics: await zeroFlowBaseline(set) });
          const u = await evaluateFlow(untrained.net, set, untrained.options.occlusion);
          rows.push({ name: 'untrained network', metrics: u.metrics, occlusion: u.occlusion });
        },
        async evaluate(result) {
          const trained = result.method as FlowMethod;
          if (!set)
            return {
              table: 'evaluation skipped (--no-eval)',
              json: { rows: [] },
              summary: [],
              sections: [],
            };
          const t = await evaluateFlow(trained.net, set, trained.options.occlusion);
          rows.unshift({
            name: `trained (${config.method.name}, ${result.step} steps)`,
            metrics: t.metrics,
            occlusion: t.occlusion,
          });
          const table = formatFlowTable(rows);
          const pictures = await flowPictures(set, [
            { name: 'trained', method: trained },
            { name: 'untrained', method: untrained },
          ]);
          const m = config.method as unknown as { height: number; width: number };
          return {
            table,
            json: { rows: rows.map(jsonRow) },
            summary: [
              `${m.height}x${m.width} frame pairs; metrics on ${FLOW_EVAL_COUNT} held-out synthetic pairs (all pixels valid; noc/occ split by the true occlusion; Fl: EPE > 3 px and > 5% of the true length; occ prec/recall: the forward-backward check against the true occlusion).`,
            ],
            sections: [
              {
                heading: 'Flow metrics',
                html: `<pre>${escapeXml(table)}</pre><p>EPE in pixels (lower is better); Fl: outlier share (lower is better); accuracies, occlusion precision and recall: higher is better.</p>`,
              },
              {
                heading: 'Flow (Middlebury colours), end-point error and occlusion (white = occluded)',
                html: figureHtml(pictures),
              },
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
