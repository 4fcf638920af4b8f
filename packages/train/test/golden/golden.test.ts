import { readFile, writeFile } from 'node:fs/promises';
import { testBackend } from '@genoise/vitest/setup';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../src/config/train-config';
import { syntheticDepthData } from '../../src/depth/synthetic-depth-data';
import { train } from '../../src/loop/fit';
import {
  blobs,
  colourBlobs,
  contrastiveOverrides,
  GOLDEN_CONTRASTIVE,
  GOLDEN_GEOMETRY,
  GOLDEN_PRETEXT,
  type GoldenRun,
  geometryOverrides,
  pretextOverrides,
  weightDigests,
} from './golden-runs';

// GENOISE_RECORD_GOLDEN=1 rewrites the record for this backend (a deliberate change, in its own commit).
const backend = testBackend();
const file = new URL(`./record-${backend}.json`, import.meta.url);
const recording = process.env['GENOISE_RECORD_GOLDEN'] === '1';
const record: Record<string, GoldenRun> = recording
  ? {}
  : JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));

async function check(name: string, run: GoldenRun): Promise<void> {
  if (recording) {
    record[name] = run;
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
    return;
  }
  expect(record[name], `no record for ${name} on ${backend}`).toBeDefined();
  expect(run).toEqual(record[name]);
}

describe.runIf(backend === 'cpu' || backend === 'wasm')('the loop refactor keeps every bit', () => {
  it.each(GOLDEN_CONTRASTIVE)('%s: loss curve and final weights', async (method) => {
    const config = resolveTrainConfig(contrastiveOverrides(method));
    const result = await train(config, blobs(64));
    const run = { losses: [...result.losses], weights: await weightDigests(result.method.models) };
    result.method.dispose();
    await check(method, run);
  });

  // Recorded before the pretext methods shared a builder (methods/pretext/pretext-method.ts).
  it.each(GOLDEN_PRETEXT)('%s: loss curve and final weights', async (method) => {
    const config = resolveTrainConfig(pretextOverrides(method));
    const data = method === 'colorization' ? colourBlobs(64) : blobs(64);
    const result = await train(config, data);
    const run = { losses: [...result.losses], weights: await weightDigests(result.method.models) };
    result.method.dispose();
    await check(method, run);
  });

  // Geometry on cpu too since the depth methods upsample with core's resizeBilinear (tfjs's cpu
  // ResizeBilinearGrad returned a transposed gradient shape for non-square maps before).
  it.each(GOLDEN_GEOMETRY)('%s: loss curve and final weights', { timeout: 240_000 }, async (method) => {
    const config = resolveTrainConfig(geometryOverrides(method));
    const result = await train(config, syntheticDepthData(config));
    const run = { losses: [...result.losses], weights: await weightDigests(result.method.models) };
    result.method.dispose();
    await check(method, run);
  });
});
