import { ArgumentError, checkInteger, checkNumber, checkOneOf } from '@genoise/core';
import { methodSpec } from '../method/registry';

/** A method's own options: its registry name and whatever it defines (see each method file). */
export interface MethodOptions {
  readonly name: string;
  readonly [option: string]: unknown;
}

/**
 * Everything that defines a run, for every method: the shared fields below plus `method`, the method's
 * name and its own options. Saved with every checkpoint so a resume continues the same run.
 */
export interface TrainConfig<O extends MethodOptions = MethodOptions> {
  /** Seed of the run's root key: weights, per-step randomness and data order all derive from it. */
  readonly seed: number;
  /** Total optimisation steps; when undefined, `epochs` passes over the data. */
  readonly steps: number | undefined;
  /** Passes over the data when `steps` is undefined. */
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak learning rate (Adam). */
  readonly learningRate: number;
  /** `'cosine'`: linear warm-up then cosine to 0; `'step'`: warm-up, then x0.1 for the last quarter (Monodepth2's). */
  readonly schedule: 'cosine' | 'step';
  /** Share of the steps spent warming up, in [0, 1). */
  readonly warmupFraction: number;
  /** Write a checkpoint every this many steps (and at the end and on abort). */
  readonly checkpointEvery: number;
  /** Append a metrics line every this many steps. */
  readonly logEvery: number;
  /** The method and its options. */
  readonly method: O;
}

/** The shared fields, as a method's spec may set them. */
export type TrainDefaults = Partial<Omit<TrainConfig, 'method'>>;

/** The loop's defaults for the shared fields. */
export const SHARED_DEFAULTS: Omit<TrainConfig, 'method'> = {
  seed: 0,
  steps: undefined,
  epochs: 1,
  batchSize: 256,
  learningRate: 1e-3,
  schedule: 'cosine',
  warmupFraction: 0.05,
  checkpointEvery: 100,
  logEvery: 1,
};

type DeepPartial<T> = {
  -readonly [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K]
    : T[K] extends object | undefined
      ? DeepPartial<T[K]>
      : T[K];
};

/** A partial config, as read from a file or flags: `{ steps: 500, method: { name: 'moco', queueSize: 1024 } }`. */
export type TrainConfigOverrides = DeepPartial<Omit<TrainConfig, 'method'>> & {
  readonly method?: { readonly name?: string; readonly [option: string]: unknown };
};

const OP = 'resolveTrainConfig';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Merges `over` into `base` field by field (objects recursively, arrays and values replaced); unknown fields throw. */
function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const where = path ? `${path}.${name}` : name;
    if (!(name in base)) {
      throw new ArgumentError({
        op: OP,
        argument: where,
        expected: `one of ${Object.keys(base).join(', ')}`,
        actual: 'an unknown field',
      });
    }
    const current = base[name];
    out[name] = isPlainObject(current) && isPlainObject(value) ? merge(current, value, where) : value;
  }
  return out;
}

function fail(argument: string, expected: string, actual: unknown): never {
  throw new ArgumentError({ op: OP, argument, expected, actual: JSON.stringify(actual) });
}

function integerAtLeast(value: unknown, argument: string, min: number): void {
  checkInteger(value, { op: OP, arg: argument, min });
}

/** Checks the shared fields of a merged config. */
function checkShared(c: TrainConfig): void {
  integerAtLeast(c.seed, 'seed', 0);
  if (c.steps !== undefined) integerAtLeast(c.steps, 'steps', 1);
  integerAtLeast(c.epochs, 'epochs', 1);
  integerAtLeast(c.batchSize, 'batchSize', 1);
  checkNumber(c.learningRate, { op: OP, arg: 'learningRate', min: 0, exclusiveMin: true });
  checkOneOf(c.schedule, ['cosine', 'step'] as const, { op: OP, arg: 'schedule' });
  checkNumber(c.warmupFraction, { op: OP, arg: 'warmupFraction', min: 0, max: 1, exclusiveMax: true });
  integerAtLeast(c.checkpointEvery, 'checkpointEvery', 1);
  integerAtLeast(c.logEvery, 'logEvery', 1);
}

/**
 * The defaults of the method `method.name` (default `'simclr'`): the loop's shared defaults, then the
 * method's (its budget, batch size, learning rate), then its own options.
 */
export function defaultTrainConfig(name = 'simclr'): TrainConfig {
  const spec = methodSpec(name, OP);
  return structuredClone({
    ...SHARED_DEFAULTS,
    ...spec.defaults,
    method: { name: spec.name, ...spec.options },
  });
}

/**
 * One merge for every method: the method's defaults with `overrides` merged in (nested option groups
 * field by field, arrays replaced), validated. Giving `epochs` without `steps` trains for that many
 * epochs instead of the method's default budget.
 *
 * @throws ArgumentError naming the first invalid or unknown field, e.g.
 *   `resolveTrainConfig: 'method.queueSize' is 0 but expected an integer >= 1.`
 * @example
 * ```ts
 * const config = resolveTrainConfig({ steps: 500, method: { name: 'moco', queueSize: 1024 } });
 * ```
 */
export function resolveTrainConfig(overrides: TrainConfigOverrides = {}): TrainConfig {
  if (!isPlainObject(overrides)) fail('overrides', 'an object', overrides);
  const base = defaultTrainConfig(overrides.method?.name ?? 'simclr');
  const merged = merge(base as unknown as Record<string, unknown>, overrides as Record<string, unknown>, '');
  if (overrides.epochs !== undefined && overrides.steps === undefined) merged['steps'] = undefined;
  const config = merged as unknown as TrainConfig;
  checkShared(config);
  methodSpec(config.method.name, OP).validate(config);
  return config;
}

/** What a resumed run must share with its checkpoint: seed, batch size, the method and its identity. */
export function runIdentity(config: TrainConfig): string {
  const spec = methodSpec(config.method.name, 'runIdentity');
  return JSON.stringify([config.method.name, config.seed, config.batchSize, spec.identity(config.method)]);
}

/**
 * Steps per epoch and total steps of a run on `size` examples (batches drop the remainder); an endless
 * stream (`size` undefined) has one epoch of `config.steps`.
 *
 * @throws ArgumentError when a batch is larger than the data, or an endless stream has no `steps`
 */
export function stepsOf(
  config: Pick<TrainConfig, 'steps' | 'epochs' | 'batchSize'>,
  size: number | undefined,
  op = 'fit',
): { stepsPerEpoch: number; totalSteps: number } {
  if (size === undefined) {
    if (config.steps === undefined)
      throw new ArgumentError({
        op,
        argument: 'steps',
        message: `${op}: the data is an endless stream, so the config needs 'steps' (it has only 'epochs').`,
      });
    return { stepsPerEpoch: config.steps, totalSteps: config.steps };
  }
  const stepsPerEpoch = Math.floor(size / config.batchSize);
  if (stepsPerEpoch < 1) {
    throw new ArgumentError({
      op,
      argument: 'batchSize',
      expected: `at most the dataset size (${size})`,
      actual: String(config.batchSize),
    });
  }
  return { stepsPerEpoch, totalSteps: config.steps ?? config.epochs * stepsPerEpoch };
}
