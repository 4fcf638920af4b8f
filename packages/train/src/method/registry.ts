import { ArgumentError } from '@genoise/core';
import { barlowTwins } from '../methods/barlow-twins';
import { byol } from '../methods/byol';
import { colorization } from '../methods/colorization';
import { dae } from '../methods/dae';
import { inpainting } from '../methods/inpainting';
import { jigsaw } from '../methods/jigsaw';
import { moco } from '../methods/moco';
import { monodepth2 } from '../methods/monodepth2';
import { relativeLocation } from '../methods/relative-location';
import { rotation } from '../methods/rotation';
import { sceneflow } from '../methods/sceneflow';
import { sfmlearner } from '../methods/sfmlearner';
import { simclr } from '../methods/simclr';
import { simsiam } from '../methods/simsiam';
import { stereo } from '../methods/stereo';
import { unflow } from '../methods/unflow';
import { vicreg } from '../methods/vicreg';
import type { MethodSpec } from './method-spec';

/**
 * Every method genoise trains, in menu order: the one place that lists them (solo-learn's `METHODS`).
 * The trainer's commands, help text and budgets and the studio's menus are read from here. Adding a
 * method is a file under `methods/` and a line here.
 */
export const METHODS: readonly MethodSpec[] = [
  simclr,
  moco,
  byol,
  simsiam,
  barlowTwins,
  vicreg,
  rotation,
  jigsaw,
  relativeLocation,
  inpainting,
  colorization,
  dae,
  stereo,
  monodepth2,
  sfmlearner,
  unflow,
  sceneflow,
] as unknown as readonly MethodSpec[];

/** The registered names, in menu order. */
export function methodNames(filter?: (spec: MethodSpec) => boolean): string[] {
  return METHODS.filter(filter ?? (() => true)).map((m) => m.name);
}

/**
 * The spec registered under `name`.
 *
 * @throws ArgumentError naming the registered methods when there is none
 */
export function methodSpec(name: unknown, op = 'methodSpec'): MethodSpec {
  const spec = METHODS.find((m) => m.name === name);
  if (!spec) {
    throw new ArgumentError({
      op,
      argument: 'method.name',
      expected: METHODS.map((m) => m.name).join(' | '),
      actual: JSON.stringify(name) ?? String(name),
    });
  }
  return spec;
}
