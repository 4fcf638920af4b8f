import { createKey } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { extractStageFeatures, type LayerProbeRow, layerwiseProbes, type StageModel } from '@genoise/eval';
import { encoderStages } from '@genoise/models';
import type { Method } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { escapeXml, formatTable, PALETTE, tableHtml } from './report';

/** Features a stage is pooled to before its probe (about the same count per layer, as VISSL and mmselfsup do). */
export const LAYER_PROBE_FEATURES = 2048;
/** Epochs of each layer's linear head. */
export const LAYER_PROBE_EPOCHS = 30;

/** One representation's layer-wise probe: test accuracy per layer, shallow to deep. */
export interface LayerProbeResult {
  readonly name: string;
  readonly layers: readonly LayerProbeRow[];
}

/** A representation to probe layer by layer: a function from images to its stage maps, and their names. */
export interface LayeredRepresentation {
  readonly name: string;
  readonly stages: StageModel;
  readonly names: readonly string[];
  dispose(): void;
}

/** Every stage of a method's encoder (through its `encoderInput`), shallow to deep, then the pooled feature. */
export function methodLayers(name: string, method: Method): LayeredRepresentation {
  const view = encoderStages(method.encoder!);
  return {
    name,
    names: view.outputNames,
    stages: (images) =>
      tf.tidy(() => view.predict(method.encoderInput ? method.encoderInput(images) : images) as tf.Tensor[]),
    dispose: () => view.dispose(),
  };
}

/** The raw pixels, as the method's encoder sees them (through `encoderInput`), as the one layer of a representation. */
export function pixelLayers(method: Method): LayeredRepresentation {
  return {
    name: method.encoderInput ? 'raw pixels (as the encoder sees them)' : 'raw pixels',
    names: ['pixels'],
    stages: (images) => (method.encoderInput ? method.encoderInput(images) : tf.clone(images)),
    dispose() {},
  };
}

/**
 * Layer-wise linear probes (Zhang et al. 2016; VISSL): every stage pooled to about
 * {@link LAYER_PROBE_FEATURES} features, standardised, one linear head per layer trained on the first
 * `trainLimit` train images, scored on the test split.
 */
export async function probeLayers(
  representation: LayeredRepresentation,
  { train, test, trainLimit, seed }: { train: Dataset; test: Dataset; trainLimit: number; seed: number },
): Promise<LayerProbeResult> {
  const count = Math.min(trainLimit, train.size);
  const options = { targetFeatures: LAYER_PROBE_FEATURES, names: representation.names };
  const trainStages = await extractStageFeatures(representation.stages, train, { ...options, count });
  const testStages = await extractStageFeatures(representation.stages, test, options);
  const layers = await layerwiseProbes({
    train: { stages: trainStages, labels: train.labels!.subarray(0, count) },
    test: { stages: testStages, labels: test.labels! },
    numClasses: train.numClasses!,
    epochs: LAYER_PROBE_EPOCHS,
    key: createKey(seed),
  });
  return { name: representation.name, layers };
}

/** The layer names of `results` in order of first appearance. */
function layerNames(results: readonly LayerProbeResult[]): string[] {
  const names: string[] = [];
  for (const r of results) for (const l of r.layers) if (!names.includes(l.name)) names.push(l.name);
  return names;
}

function cells(results: readonly LayerProbeResult[]): string[][] {
  const names = layerNames(results);
  return results.map((r) => [
    r.name,
    ...names.map((n) => {
      const layer = r.layers.find((l) => l.name === n);
      return layer ? `${(100 * layer.testAccuracy).toFixed(1)}%` : '-';
    }),
  ]);
}

/** The layer-wise table: one row per representation, one column per layer (test top-1 of its linear probe). */
export function formatLayerTable(results: readonly LayerProbeResult[]): string {
  return formatTable(['linear probe by layer', ...layerNames(results)], cells(results));
}

/** The same table as HTML, with each layer's feature count under its name. */
export function layerTableHtml(results: readonly LayerProbeResult[]): string {
  const names = layerNames(results);
  const dims = names.map((n) => results.flatMap((r) => r.layers).find((l) => l.name === n)?.dim ?? 0);
  return tableHtml(['linear probe by layer', ...names.map((n, i) => `${n} (${dims[i]})`)], cells(results));
}

/**
 * The lecture's "which layer is best" figure: test top-1 by layer, one line per representation (a
 * one-layer representation such as raw pixels is a dashed level line).
 */
export function layerChartSvg(
  results: readonly LayerProbeResult[],
  { width = 560, height = 260, title = 'linear probe top-1 by layer (test split)' } = {},
): string {
  const names = layerNames(results).filter((n) => n !== 'pixels');
  const pad = 44;
  const values = results.flatMap((r) => r.layers.map((l) => l.testAccuracy));
  if (values.length === 0 || names.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>`;
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const sx = (i: number): number =>
    pad + (names.length === 1 ? 0.5 : i / (names.length - 1)) * (width - 2 * pad - 120);
  const sy = (y: number): number => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${width / 2}" y="14" text-anchor="middle">${escapeXml(title)}</text>`,
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad - 120}" y2="${height - pad}" stroke="#999"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>`,
    `<text x="${pad - 4}" y="${sy(y0)}" text-anchor="end">${(100 * y0).toFixed(1)}</text>`,
    `<text x="${pad - 4}" y="${sy(y1) + 4}" text-anchor="end">${(100 * y1).toFixed(1)}</text>`,
    ...names.map(
      (n, i) => `<text x="${sx(i)}" y="${height - pad + 14}" text-anchor="middle">${escapeXml(n)}</text>`,
    ),
  ];
  results.forEach((r, k) => {
    const colour = PALETTE[k % PALETTE.length];
    const legendY = pad + 14 * k;
    parts.push(
      `<text x="${width - pad - 100}" y="${legendY + 4}" fill="${colour}">${escapeXml(r.name)}</text>`,
    );
    const points = r.layers.filter((l) => names.includes(l.name));
    if (points.length === 0) {
      const level = r.layers[0]?.testAccuracy;
      if (level !== undefined)
        parts.push(
          `<line x1="${pad}" y1="${sy(level)}" x2="${width - pad - 120}" y2="${sy(level)}" stroke="${colour}" stroke-dasharray="4 3"/>`,
        );
      return;
    }
    const path = points
      .map(
        (l, i) =>
          `${i === 0 ? 'M' : 'L'}${sx(names.indexOf(l.name)).toFixed(1)},${sy(l.testAccuracy).toFixed(1)}`,
      )
      .join('');
    parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    for (const l of points)
      parts.push(
        `<circle cx="${sx(names.indexOf(l.name))}" cy="${sy(l.testAccuracy)}" r="2.5" fill="${colour}"/>`,
      );
  });
  parts.push('</svg>');
  return parts.join('');
}
