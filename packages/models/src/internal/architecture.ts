import type * as tfl from '@tensorflow/tfjs-layers';

/** What built a model: the builder's name and the options it was given (JSON-friendly). */
export interface Architecture {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

const recorded = new WeakMap<tfl.LayersModel, Architecture>();

/** Records the builder and options of `model` (the builders call this). */
export function recordArchitecture<M extends tfl.LayersModel>(model: M, architecture: Architecture): M {
  recorded.set(model, architecture);
  return model;
}

/** The recorded builder of `model`, or `undefined` for a model genoise did not build. */
export function recordedArchitecture(model: tfl.LayersModel): Architecture | undefined {
  return recorded.get(model);
}
