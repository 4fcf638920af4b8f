import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BackendInfo, initBackend } from '@genoise/core';
import { loadFrameSequences, loadStereoFolder } from '@genoise/data';
import type { DepthMetrics } from '@genoise/eval';
import {
  buildGeometryModels,
  constantDepthBaseline,
  evaluateGeometry,
  type GeometryConfig,
  type GeometryConfigOverrides,
  type GeometryData,
  type GeometryMethodName,
  type GeometryModels,
  geometryEvalSet,
  geometryKeys,
  loadCheckpoint,
  predictDisparity,
  readMetrics,
  resolveGeometryConfig,
  sequenceFolderData,
  stereoFolderData,
  syntheticGeometryData,
  trainGeometry,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import type { GeometryFlags } from '../args';
import { colorize, pngDataUri, rgbBytes } from '../depth-images';
import { formatDepthTable, type GeometryRow, geometryReportHtml } from '../geometry-report';
import { interruptOnSigint } from '../interrupt';
import { progressReporter } from '../progress';
import { lineChartSvg } from '../report';

/** Held-out synthetic scenes the report evaluates on. */
export const GEOMETRY_EVAL_COUNT = 16;

/** Eval images shown in the report. */
const SHOWN = 4;

async function writeAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

async function loadGeometryData(
  config: GeometryConfig,
  source: string,
  log: (line: string) => void,
): Promise<GeometryData> {
  if (source === 'synthetic') return syntheticGeometryData(config);
  const options = { size: [config.height, config.width] as [number, number], onWarning: log };
  if (config.method === 'stereo') return stereoFolderData(await loadStereoFolder(source, options), source);
  return sequenceFolderData(await loadFrameSequences(source, options), source);
}

/** Disparity pictures for the report: per shown image, the input, ground truth and each network's prediction. */
async function pictures(
  set: ReturnType<typeof geometryEvalSet>,
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
  const rows: { caption: string; uris: string[] }[] = [];
  rows.push({
    caption: 'input',
    uris: await Promise.all(
      Array.from({ length: shown }, (_, i) =>
        pngDataUri(rgbBytes(rgb.subarray(i * pixels * 3, (i + 1) * pixels * 3)), height, width),
      ),
    ),
  });
  if (withGroundTruth)
    rows.push({
      caption: 'ground truth (1 / depth)',
      uris: await Promise.all(
        Array.from({ length: shown }, (_, i) =>
          pngDataUri(colorize(gt.subarray(i * pixels, (i + 1) * pixels)), height, width),
        ),
      ),
    });
  for (const [k, { name }] of networks.entries()) {
    rows.push({
      caption: `${name}: disparity`,
      uris: await Promise.all(
        Array.from({ length: shown }, (_, i) =>
          pngDataUri(colorize(predicted[k]!.subarray(i * pixels, (i + 1) * pixels)), height, width),
        ),
      ),
    });
  }
  return rows;
}

/**
 * Runs `genoise train stereo|monodepth2|sfmlearner`: backend, data, training with progress, Ctrl-C
 * checkpoint and resume, then depth metrics on held-out synthetic scenes for the trained network, the
 * untrained network and a constant-depth baseline, written as table.txt, report.json and report.html.
 */
export async function geometryCommand(method: GeometryMethodName, flags: GeometryFlags): Promise<number> {
  const log = (line: string): void => console.log(line);
  const info: BackendInfo = await initBackend(flags.backend ? { prefer: flags.backend } : {});
  log(`backend: ${info.name}${info.simd ? ' (SIMD)' : ''} — ${info.reason}`);

  const fromFile = flags.config
    ? (JSON.parse(await readFile(flags.config, 'utf8')) as GeometryConfigOverrides)
    : {};
  const runDir = resolve(
    flags.out ?? join('runs', `${method}-${flags.data.replace(/[^a-z0-9-]+/gi, '_')}-${stamp()}`),
  );
  let config: GeometryConfig = resolveGeometryConfig({
    ...fromFile,
    method,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.batch !== undefined ? { batchSize: flags.batch } : {}),
    ...(flags.learningRate !== undefined ? { learningRate: flags.learningRate } : {}),
    ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
    ...(flags.consistency !== undefined ? { consistency: flags.consistency } : {}),
  });
  // A resumed run continues with its saved config (its scene pool and data order derive from it).
  if (flags.resume) config = (await loadCheckpoint<GeometryConfig>(runDir)).config;
  await mkdir(runDir, { recursive: true });
  if (!flags.resume) await writeAtomic(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  log(`run folder: ${runDir}`);
  const data = await loadGeometryData(config, flags.data, log);
  log(
    `data: ${data.name}; ${config.height}x${config.width}, batch ${config.batchSize}, ${config.steps} steps${method === 'stereo' ? `, consistency ${config.consistency}` : ''}`,
  );

  // Ground truth exists for synthetic scenes only; the untrained network is measured before training.
  const evaluate = flags.eval && flags.data === 'synthetic';
  const set = evaluate ? geometryEvalSet(config, { count: GEOMETRY_EVAL_COUNT }) : undefined;
  const untrained = buildGeometryModels(config, geometryKeys(config).initKey);
  const rows: GeometryRow[] = [];
  if (set) {
    rows.push({ name: 'untrained network', metrics: await evaluateGeometry(untrained, config, set) });
    rows.push({
      name: 'constant depth (median ground truth)',
      metrics: await constantDepthBaseline(config, set),
    });
  }

  const interrupt = interruptOnSigint();
  const progress = flags.quiet ? undefined : progressReporter();
  let result: Awaited<ReturnType<typeof trainGeometry>>;
  try {
    result = await trainGeometry({
      config,
      data,
      runDir,
      resume: flags.resume,
      signal: interrupt.signal,
      onStep: (event) => progress?.update(event),
    });
  } catch (error) {
    untrained.dispose();
    set?.dispose();
    throw error;
  } finally {
    progress?.done();
    interrupt.release();
  }
  const { models } = result;
  log(
    `trained ${result.losses.length} steps (${result.step}/${result.totalSteps}) in ${result.seconds.toFixed(0)} s; checkpoint in ${join(runDir, 'checkpoint')}`,
  );
  if (result.stopped === 'aborted' || !flags.eval) {
    if (result.stopped === 'aborted')
      log(`interrupted: continue with  genoise train ${method} --out ${runDir} --resume`);
    models.dispose();
    untrained.dispose();
    set?.dispose();
    return result.stopped === 'aborted' ? 130 : 0;
  }

  let metrics: DepthMetrics | undefined;
  if (set) {
    metrics = await evaluateGeometry(models, config, set);
    rows.unshift({ name: `trained (${method}, ${result.step} steps)`, metrics });
  }
  const table =
    rows.length > 0 ? formatDepthTable(rows) : 'no ground truth for folder data: depth metrics skipped';
  log('');
  log(table);

  const shownSet = set ?? folderPreview(data);
  const pictureRows = await pictures(
    shownSet,
    [
      { name: 'trained', models },
      { name: 'untrained', models: untrained },
    ],
    set !== undefined,
  );
  if (!set) shownSet.dispose();
  models.dispose();
  untrained.dispose();
  set?.dispose();

  const lossCurve = await readMetrics<{ step: number; loss: number }>(runDir);
  const summary = [
    `${method} on ${data.name}: ${result.step} steps of batch ${config.batchSize} at ${config.height}x${config.width} (seed ${config.seed}), backend ${info.name}, ${result.seconds.toFixed(0)} s of training in this call.`,
    method === 'stereo'
      ? `Loss: photometric (SSIM 0.85 + L1) both ways, edge-aware smoothness ${config.smoothness}/2^s, left-right consistency ${config.lrWeight} (consistency '${config.consistency}'); ${config.scales} scales upsampled to the input size. Depth = fx·baseline / (disparity · W).`
      : `Loss: ${method === 'monodepth2' ? 'per-pixel minimum reprojection with auto-masking' : 'mean reprojection over the two sources, no mask'} (SSIM 0.85 + L1), smoothness ${config.smoothness}/2^s on mean-normalised disparity; ${config.scales} scales upsampled to the input size. Metrics with per-image median scaling.`,
    set
      ? `Metrics on ${GEOMETRY_EVAL_COUNT} held-out synthetic scenes (ground truth between 1e-3 and 80 units; a1-a3: share of pixels within 1.25^k).`
      : 'Folder data has no ground truth: only pictures.',
  ];
  const html = geometryReportHtml({
    title: `genoise: ${method} depth`,
    summary,
    rows,
    lossSvg: lineChartSvg(
      lossCurve.map((m) => [m.step, m.loss] as const),
      { title: `${method} loss` },
    ),
    pictures: pictureRows,
  });
  await writeAtomic(join(runDir, 'report.html'), html);
  await writeAtomic(join(runDir, 'table.txt'), `${table}\n`);
  await writeAtomic(
    join(runDir, 'report.json'),
    `${JSON.stringify(
      {
        method,
        data: data.name,
        backend: info.name,
        steps: result.step,
        seconds: result.seconds,
        rows: rows.map((r) => ({ name: r.name, ...snakeCase(r.metrics) })),
        config,
      },
      null,
      2,
    )}\n`,
  );
  log(`\nreport: ${join(runDir, 'report.html')}`);
  log(`tensors alive: ${tf.memory().numTensors}`);
  return 0;
}

/** The metrics under the names papers print: abs_rel, sq_rel, rmse, rmse_log, a1, a2, a3. */
function snakeCase(m: DepthMetrics): Record<string, number> {
  return {
    abs_rel: m.absRel,
    sq_rel: m.sqRel,
    rmse: m.rmse,
    rmse_log: m.rmseLog,
    a1: m.a1,
    a2: m.a2,
    a3: m.a3,
  };
}

/** The first few training examples of folder data as a picture set (no ground truth: depth is all ones). */
function folderPreview(data: GeometryData): ReturnType<typeof geometryEvalSet> {
  const n = Math.min(SHOWN, data.size ?? SHOWN);
  const indices = Array.from({ length: n }, (_, i) => i);
  let images: tf.Tensor4D;
  if (data.kind === 'stereo') {
    const { left, right } = data.examples(indices);
    right.dispose();
    images = left;
  } else {
    const { previous, target, next, K } = data.examples(indices);
    tf.dispose([previous, next, K]);
    images = target;
  }
  const depth = tf.ones([n, data.height, data.width, 1]) as tf.Tensor4D;
  return {
    images,
    depth,
    fxBaseline: [],
    kind: data.kind,
    dispose: () => tf.dispose([images, depth]),
  };
}
