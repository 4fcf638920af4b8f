import { integerOption, invalid } from '../methods/representation/representation-options';

/** Throws unless `value` is a non-empty list of positive integers (of `length` entries when given). */
export function positiveIntegers(value: unknown, field: string, length?: number): void {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    (length !== undefined && value.length !== length) ||
    !value.every((w) => Number.isInteger(w) && w >= 1)
  )
    invalid(field, `${length ?? 'a list of'} positive integers`, value);
}

/** The PWC-style network settings shared by `flowNet` and `sceneFlowNet` runs. */
interface PyramidSettings {
  readonly levels: number;
  readonly finestLevel: number;
  readonly maxDisplacement: number;
  readonly widths: readonly number[];
  readonly estimatorWidths: readonly number[];
}

/**
 * Validates a PWC-style network's settings (`method.<field>.*`) and the input size they need: levels
 * in [2, 6], finest level in [1, levels], widths per level, and `method.height`/`width` multiples of
 * `2^levels`. Throws an ArgumentError naming the field.
 */
export function checkPyramidRun(
  m: { readonly height: number; readonly width: number },
  net: PyramidSettings,
  field: string,
): void {
  integerOption(net.levels, `method.${field}.levels`, 2);
  if (net.levels > 6) invalid(`method.${field}.levels`, 'an integer in [2, 6]', net.levels);
  integerOption(net.finestLevel, `method.${field}.finestLevel`, 1);
  if (net.finestLevel > net.levels)
    invalid(`method.${field}.finestLevel`, `an integer in [1, ${net.levels}]`, net.finestLevel);
  integerOption(net.maxDisplacement, `method.${field}.maxDisplacement`, 0);
  positiveIntegers(net.widths, `method.${field}.widths`, net.levels);
  positiveIntegers(net.estimatorWidths, `method.${field}.estimatorWidths`);
  const factor = 2 ** net.levels;
  for (const side of ['height', 'width'] as const) {
    integerOption(m[side], `method.${side}`, factor);
    if (m[side] % factor !== 0) invalid(`method.${side}`, `a multiple of 2^levels = ${factor}`, m[side]);
  }
}

/** Validates a synthetic pool's `poolSize` (>= 0), `samples` (1 to 8) and `movingObjects` (0 to 8). */
export function checkSyntheticPool(m: {
  readonly poolSize: number;
  readonly samples: number;
  readonly movingObjects: number;
}): void {
  integerOption(m.poolSize, 'method.poolSize', 0);
  integerOption(m.samples, 'method.samples', 1);
  if (m.samples > 8) invalid('method.samples', 'an integer in [1, 8]', m.samples);
  integerOption(m.movingObjects, 'method.movingObjects', 0);
  if (m.movingObjects > 8)
    invalid('method.movingObjects', 'an integer in [0, 8] (the scenes hold 8 objects)', m.movingObjects);
}
