import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { defaultTrainConfig, resolveTrainConfig, runIdentity, SHARED_DEFAULTS } from '../config/train-config';
import { runKeys } from './method-spec';
import { METHODS, methodNames, methodSpec } from './registry';

const NAMES = [
  'simclr',
  'moco',
  'byol',
  'simsiam',
  'barlow-twins',
  'vicreg',
  'rotation',
  'jigsaw',
  'relative-location',
  'inpainting',
  'colorization',
  'dae',
  'stereo',
  'monodepth2',
  'sfmlearner',
  'unflow',
  'sceneflow',
];

describe('the method registry', () => {
  it('lists the methods in menu order, each name once', () => {
    expect(methodNames()).toEqual(NAMES);
    expect(new Set(METHODS.map((m) => m.name)).size).toBe(METHODS.length);
    expect(methodNames((s) => s.task === 'representation')).toEqual(NAMES.slice(0, 12));
    expect(methodNames((s) => s.task === 'flow')).toEqual(['unflow']);
    expect(methodNames((s) => s.task === 'scene-flow')).toEqual(['sceneflow']);
    expect(methodNames((s) => s.data === 'frame-triplets')).toEqual(['monodepth2', 'sfmlearner']);
  });

  it('finds each spec by name, and names the registered methods for an unknown one', () => {
    for (const name of NAMES) expect(methodSpec(name).name).toBe(name);
    let error: unknown;
    try {
      methodSpec('dino');
    } catch (e) {
      error = e;
    }
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect((error as ArgumentError).argument).toBe('method.name');
    expect((error as Error).message).toBe(
      `methodSpec: 'method.name' is "dino" but expected ${NAMES.join(' | ')}.`,
    );
    expect(() => methodSpec(undefined, 'train')).toThrow(
      "train: 'method.name' is undefined but expected simclr | moco",
    );
    expect(() => methodSpec('SimCLR')).toThrow(ArgumentError); // names are exact
  });

  describe.each(METHODS.map((spec) => [spec.name, spec] as const))('%s', (name, spec) => {
    it('has a summary, a paper, and a task that fits its data', () => {
      expect(spec.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(spec.summary.length).toBeGreaterThan(10);
      expect(spec.summary).not.toContain('\n');
      expect(spec.paper).toMatch(/(19|20)\d\d/);
      expect(spec.task === 'representation').toBe(spec.data === 'images');
    });

    it('sets only shared fields in its defaults, with a budget, and keeps `name` out of its options', () => {
      for (const field of Object.keys(spec.defaults)) expect(Object.keys(SHARED_DEFAULTS)).toContain(field);
      expect(Number.isSafeInteger(spec.defaults.steps)).toBe(true);
      expect('name' in spec.options).toBe(false);
    });

    it('resolves and validates its defaults', () => {
      const config = defaultTrainConfig(name);
      expect(config.method.name).toBe(name);
      expect(() => spec.validate(config)).not.toThrow();
      expect(resolveTrainConfig({ method: { name } })).toEqual(config);
      // A resume compares the identity of the config read back from a checkpoint (JSON) with the new one.
      const saved = JSON.parse(JSON.stringify(config));
      expect(JSON.stringify(spec.identity(saved.method))).toBe(JSON.stringify(spec.identity(config.method)));
      expect(runIdentity(saved)).toBe(runIdentity(resolveTrainConfig({ method: { name } })));
    });

    it('has a key layout of three distinct keys from the seed', () => {
      const keys = (spec.keys ?? runKeys)(0);
      const again = (spec.keys ?? runKeys)(0);
      expect(again).toEqual(keys);
      const distinct = new Set([keys.initKey, keys.orderKey, keys.stepKey].map((k) => JSON.stringify(k)));
      expect(distinct.size).toBe(3);
      expect((spec.keys ?? runKeys)(1)).not.toEqual(keys);
    });
  });
});
