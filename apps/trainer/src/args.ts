import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '@genoise/core';
import { METHODS, type MethodSpec, methodNames, methodSpec } from '@genoise/train';

/** A parsed command line. */
export type Command =
  | { readonly kind: 'help'; readonly method: string | undefined }
  | {
      readonly kind: 'train';
      readonly method: string;
      readonly flags: TrainFlags;
      /** Method options given as flags, e.g. `{ queueSize: 1024, views: { flip: false } }`. */
      readonly methodOptions: Record<string, unknown>;
      readonly isDefaultJob: boolean;
    }
  | { readonly kind: 'sweep'; readonly args: readonly string[] }
  | {
      readonly kind: 'transfer';
      readonly task: 'classify' | 'normals';
      /** Run folders of representation runs, compared with the same encoder trained from scratch. */
      readonly checkpoints: readonly string[];
      readonly flags: TrainFlags;
      readonly transfer: TransferFlags;
    }
  | {
      readonly kind: 'export';
      readonly format: 'keras';
      readonly checkpoint: string;
      readonly flags: TrainFlags;
    }
  | {
      readonly kind: 'eval';
      readonly probe: 'knn' | 'linear' | 'all';
      readonly checkpoint: string;
      readonly flags: TrainFlags;
    };

/** Flags of `genoise train` (task-specific ones are undefined for other tasks) and `genoise eval`. */
export interface TrainFlags {
  readonly data: string | undefined;
  readonly backend: BackendName | undefined;
  readonly epochs: number | undefined;
  readonly steps: number | undefined;
  readonly batch: number | undefined;
  readonly seed: number | undefined;
  readonly learningRate: number | undefined;
  readonly out: string | undefined;
  readonly resume: boolean;
  readonly config: string | undefined;
  readonly eval: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Representation: image size and channels of a folder dataset. */
  readonly size: number | undefined;
  readonly channels: 1 | 3 | undefined;
  /** Representation: use only n training images. */
  readonly limit: number | undefined;
  /** Representation: train images in the kNN bank and probe set. */
  readonly evalTrainLimit: number | undefined;
  /** Representation: kNN top-1 on the test split every n steps (0: off). */
  readonly knnEvery: number | undefined;
  /** Representation: a linear probe on every stage of the encoder (the layer-wise table). */
  readonly layerProbes: boolean;
}

/** The transfer experiment's own flags. */
export interface TransferFlags {
  /** classify: shares of the train labels, e.g. [0.01, 0.1]. */
  readonly labels: readonly number[];
  /** One fine-tuning run per seed (head, label subset, data order), reported as mean and spread. */
  readonly seeds: readonly number[];
  /** Fine-tuning steps of every run. */
  readonly steps: number;
  readonly batch: number;
  readonly learningRate: number;
  /** normals: labelled training views, and test views. */
  readonly views: number;
  readonly testViews: number;
}

/** A command-line mistake: the message is printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type FlagTable = Record<string, { type: 'string' | 'boolean'; short?: string; help: string }>;

/** Flags every train command takes. */
const COMMON: FlagTable = {
  data: { type: 'string', help: 'dataset (default: the method’s; see below)' },
  steps: { type: 'string', help: 'training steps (default: the method’s budget for two CPU cores)' },
  epochs: { type: 'string', help: 'passes over the data instead of --steps' },
  batch: { type: 'string', help: 'batch size' },
  lr: { type: 'string', help: 'peak learning rate' },
  seed: { type: 'string', help: 'seed of every random choice (default 0)' },
  backend: {
    type: 'string',
    help: `force a backend: ${BACKEND_NAMES.join('|')} (default: the fastest here)`,
  },
  out: { type: 'string', help: 'run folder (default runs/<method>-<data>-<time>)' },
  resume: { type: 'boolean', help: 'continue the run in --out from its last checkpoint' },
  config: { type: 'string', help: 'config overrides as JSON (see @genoise/train’s TrainConfig)' },
  'no-eval': { type: 'boolean', help: 'skip the evaluation' },
  quiet: { type: 'boolean', help: 'no progress bar' },
  verbose: { type: 'boolean', help: 'the backend’s details and library warnings' },
  help: { type: 'boolean', short: 'h', help: 'this help (with a method: its options)' },
};

/** Flags of the representation task (and `genoise eval`). */
const REPRESENTATION: FlagTable = {
  size: { type: 'string', help: 'image size of a folder dataset (default 32)' },
  channels: { type: 'string', help: 'channels of a folder dataset, 1 or 3 (default 3)' },
  limit: { type: 'string', help: 'use only n training images' },
  'eval-train-limit': { type: 'string', help: 'train images in the kNN bank and probe set (default 10000)' },
  'knn-every': { type: 'string', help: 'kNN top-1 on the test split every n steps (0: off)' },
  'no-layer-probes': { type: 'boolean', help: 'skip the linear probe of every encoder stage' },
};

const TASK_FLAGS: Record<MethodSpec['task'], FlagTable> = {
  representation: REPRESENTATION,
  depth: {},
  flow: {},
  'scene-flow': {},
};
const TASK_DATA: Record<MethodSpec['task'], string> = {
  representation:
    'fashion-mnist | mnist | synthetic-objects (colour) | <folder of images, labels from sub-folders>',
  depth: 'synthetic | <folder: stereo pairs left/ right/, or frame sequences with intrinsics>',
  flow: 'synthetic (frame pairs with true flow and occlusion)',
  'scene-flow': 'synthetic (stereo videos with moving objects, rendered once into a pool)',
};

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A method's scalar options (one level of groups) as flags: `queueSize` -> `--queue-size`, `views.flip` -> `--views-flip`. */
export function methodFlags(spec: MethodSpec): { flag: string; path: string[]; example: unknown }[] {
  const out: { flag: string; path: string[]; example: unknown }[] = [];
  const scalar = (v: unknown) => ['number', 'string', 'boolean'].includes(typeof v);
  for (const [name, value] of Object.entries(spec.options)) {
    if (scalar(value)) out.push({ flag: kebab(name), path: [name], example: value });
    else if (value !== null && typeof value === 'object' && !Array.isArray(value))
      for (const [field, inner] of Object.entries(value))
        if (scalar(inner))
          out.push({ flag: `${kebab(name)}-${kebab(field)}`, path: [name, field], example: inner });
  }
  return out;
}

/** `1200 steps by default (tensorflow: 4000)`. */
function budgetText(spec: MethodSpec): string {
  const others = Object.entries(spec.budgets ?? {}).map(([backend, steps]) => `${backend}: ${steps}`);
  return `${spec.defaults.steps ?? '?'} steps by default${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
}

function methodLines(): string {
  const width = Math.max(...METHODS.map((m) => m.name.length));
  return METHODS.map((m) => `  ${m.name.padEnd(width)}  ${m.summary} (${m.task}; ${budgetText(m)})`).join(
    '\n',
  );
}

function flagLines(table: FlagTable): string {
  return Object.entries(table)
    .map(([name, f]) => `  --${name}${f.type === 'string' ? ' <value>' : ''}`.padEnd(30) + f.help)
    .join('\n');
}

/** The general usage text, from the registry. */
export function usage(): string {
  return `genoise — self-supervised learning on TensorFlow.js

Usage:
  genoise                              the default job: simclr on Fashion-MNIST, then kNN and linear probes
  genoise train <method> [flags]       pretrain, then evaluate against its baselines and write a report
  genoise eval <knn|linear|all> --checkpoint <run folder> [--data …]
  genoise export --format keras --checkpoint <run folder> [--out <folder>]
                                       the encoder as a folder Keras 3 loads (built-in layers, weights.npz)
  genoise transfer classify --checkpoint <run>[,<run>…] [--labels 0.01,0.1] [--seeds 0,1,2] [--steps 500]
                                       fine-tune each encoder and the same net from scratch on a share of the labels
  genoise transfer normals --checkpoint <run>[,<run>…] [--views 600] [--seeds 0,1]
                                       fine-tune each trunk with a decoder to predict surface normals of rendered scenes
  genoise sweep --methods simclr,byol --seeds 0,1 [--set steps=400] [--address <ray>]
                                       many runs on Ray, resumable, one combined table (python3 sweep/genoise_sweep.py --help)
  genoise train <method> --help        the method's own options

Methods:
${methodLines()}

Flags:
${flagLines(COMMON)}

Representation methods also take:
${flagLines(REPRESENTATION)}

Data: representation methods: ${TASK_DATA.representation}
      depth methods: ${TASK_DATA.depth}
      flow methods: ${TASK_DATA.flow}
      scene-flow methods: ${TASK_DATA['scene-flow']}`;
}

/** The usage of one method: its data, flags and options with defaults. */
export function methodUsage(name: string): string {
  const spec = methodSpec(name);
  const options = methodFlags(spec)
    .map(
      ({ flag, example }) =>
        `  --${flag} <${typeof example}>`.padEnd(30) + `default ${JSON.stringify(example)}`,
    )
    .join('\n');
  return `genoise train ${spec.name} — ${spec.summary}
${spec.paper}

Data: ${TASK_DATA[spec.task]}
Budget: ${budgetText(spec)}, batches of ${spec.defaults.batchSize ?? 256}

Method options (or in --config as { "method": { ... } }):
${options || '  (none)'}

Flags:
${flagLines({ ...COMMON, ...TASK_FLAGS[spec.task] })}`;
}

function integer(value: unknown, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} must be an integer >= ${min}, got '${value}'`);
  return n;
}

function parseValue(raw: string, example: unknown, flag: string): unknown {
  if (typeof example === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw new UsageError(`--${flag} must be a number, got '${raw}'`);
    return n;
  }
  if (typeof example === 'boolean') {
    if (raw !== 'true' && raw !== 'false')
      throw new UsageError(`--${flag} must be true or false, got '${raw}'`);
    return raw === 'true';
  }
  return raw;
}

function parse(argv: string[], table: FlagTable, strict: boolean) {
  const options = Object.fromEntries(
    Object.entries(table).map(([name, f]) => [
      name,
      f.short ? { type: f.type, short: f.short } : { type: f.type },
    ]),
  );
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict, options: options as never }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^Unknown option/, 'unknown flag'));
  }
}

/** Parses `argv` (without node and the script) into a {@link Command}; flags come from the method's task and options. */
export function parseCommand(argv: readonly string[]): Command {
  // `pnpm start -- train moco` forwards the `--` itself: drop it.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  // A first, loose pass finds the command and the method (every flag that takes a value is declared, so
  // values are not mistaken for positionals); the second pass is strict with that method's flags only.
  const everyFlag: FlagTable = { ...COMMON, ...REPRESENTATION, checkpoint: { type: 'string', help: '' } };
  for (const spec of METHODS)
    for (const { flag } of methodFlags(spec)) everyFlag[flag] = { type: 'string', help: '' };
  const { positionals: loose } = parse(args, everyFlag, false);
  const [command = 'train', sub] = loose;
  if (command === 'sweep') return { kind: 'sweep', args: args.slice(args.indexOf('sweep') + 1) };
  if (command !== 'train' && command !== 'eval' && command !== 'export' && command !== 'transfer')
    throw new UsageError(`unknown command '${command}' (train, eval, export, transfer or sweep)`);
  if (command === 'transfer') {
    const table: FlagTable = {
      ...COMMON,
      checkpoint: { type: 'string', help: '' },
      labels: { type: 'string', help: '' },
      seeds: { type: 'string', help: '' },
      views: { type: 'string', help: '' },
      'test-views': { type: 'string', help: '' },
    };
    const { values: v, positionals } = parse(args, table, true);
    if (v['help']) return { kind: 'help', method: undefined };
    if (positionals.length > 2) throw new UsageError(`unexpected argument '${positionals[2]}'`);
    const task = sub as 'classify' | 'normals';
    if (task !== 'classify' && task !== 'normals')
      throw new UsageError(`genoise transfer takes classify or normals, got '${sub ?? ''}'`);
    const checkpoint = v['checkpoint'] as string | undefined;
    if (!checkpoint)
      throw new UsageError('genoise transfer needs --checkpoint <run folder>[,<run folder>...]');
    const list = (raw: unknown, name: string, fallback: number[]): number[] => {
      if (typeof raw !== 'string') return fallback;
      const values = raw.split(',').map(Number);
      if (values.some((x) => !Number.isFinite(x)))
        throw new UsageError(`--${name} takes comma-separated numbers, got '${raw}'`);
      return values;
    };
    const labels = list(v['labels'], 'labels', [0.01, 0.1]);
    if (labels.some((x) => !(x > 0 && x <= 1)))
      throw new UsageError(`--labels takes shares in (0, 1], got '${v['labels']}'`);
    const seeds = list(v['seeds'], 'seeds', [0, 1, 2]);
    if (seeds.some((x) => !Number.isInteger(x) || x < 0))
      throw new UsageError(`--seeds takes non-negative integers, got '${v['seeds']}'`);
    const flags = flagsOf(v);
    return {
      kind: 'transfer',
      task,
      checkpoints: checkpoint.split(','),
      flags,
      transfer: {
        labels,
        seeds,
        steps: flags.steps ?? 500,
        batch: flags.batch ?? 64,
        learningRate: flags.learningRate ?? 1e-3,
        views: integer(v['views'], 'views') ?? 600,
        testViews: integer(v['test-views'], 'test-views') ?? 200,
      },
    };
  }
  if (command === 'export') {
    const table = {
      ...COMMON,
      format: { type: 'string' as const, help: '' },
      checkpoint: { type: 'string' as const, help: '' },
    };
    const { values: v, positionals } = parse(args, table, true);
    if (v['help']) return { kind: 'help', method: undefined };
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    if (v['format'] !== 'keras')
      throw new UsageError(`genoise export needs --format keras, got '${v['format'] ?? ''}'`);
    const checkpoint = v['checkpoint'] as string | undefined;
    if (!checkpoint) throw new UsageError('genoise export needs --checkpoint <run folder>');
    return { kind: 'export', format: 'keras', checkpoint, flags: flagsOf(v) };
  }
  if (command === 'eval') {
    const { values: v, positionals } = parse(
      args,
      { ...COMMON, ...REPRESENTATION, checkpoint: { type: 'string', help: '' } },
      true,
    );
    if (v['help']) return { kind: 'help', method: undefined };
    if (positionals.length > 2) throw new UsageError(`unexpected argument '${positionals[2]}'`);
    const probe = (sub ?? 'all') as 'knn' | 'linear' | 'all';
    if (!['knn', 'linear', 'all'].includes(probe))
      throw new UsageError(`genoise eval takes knn, linear or all, got '${sub}'`);
    const checkpoint = v['checkpoint'] as string | undefined;
    if (!checkpoint) throw new UsageError('genoise eval needs --checkpoint <run folder>');
    return { kind: 'eval', probe, checkpoint, flags: flagsOf(v) };
  }
  const name = sub ?? 'simclr';
  const names = methodNames();
  if (!names.includes(name)) throw new UsageError(`genoise train takes ${names.join(', ')}, got '${name}'`);
  const spec = methodSpec(name);
  const optionFlags = methodFlags(spec);
  const table: FlagTable = {
    ...COMMON,
    ...TASK_FLAGS[spec.task],
    ...Object.fromEntries(optionFlags.map((o) => [o.flag, { type: 'string' as const, help: '' }])),
  };
  const { values: v, positionals } = parse(args, table, true);
  if (v['help']) return { kind: 'help', method: sub };
  if (positionals.length > 2) throw new UsageError(`unexpected argument '${positionals[2]}'`);
  const methodOptions: Record<string, unknown> = {};
  for (const { flag, path, example } of optionFlags) {
    const raw = v[flag];
    if (typeof raw !== 'string') continue;
    const value = parseValue(raw, example, flag);
    if (path.length === 1) methodOptions[path[0]!] = value;
    else methodOptions[path[0]!] = { ...(methodOptions[path[0]!] as object), [path[1]!]: value };
  }
  const flags = flagsOf(v);
  if (flags.resume && !flags.out) throw new UsageError('--resume needs --out <run folder>');
  if (v['epochs'] !== undefined && v['steps'] !== undefined)
    throw new UsageError('give --epochs or --steps, not both');
  return { kind: 'train', method: name, flags, methodOptions, isDefaultJob: loose.length === 0 };
}

function flagsOf(v: Record<string, string | boolean | undefined>): TrainFlags {
  const backend = v['backend'] as string | undefined;
  if (backend !== undefined && !BACKEND_NAMES.includes(backend as BackendName))
    throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got '${backend}'`);
  const lr = v['lr'] as string | undefined;
  const learningRate = lr === undefined ? undefined : Number(lr);
  if (learningRate !== undefined && !(learningRate > 0))
    throw new UsageError(`--lr must be a positive number, got '${lr}'`);
  const channels = integer(v['channels'], 'channels');
  if (channels !== undefined && channels !== 1 && channels !== 3)
    throw new UsageError(`--channels must be 1 or 3, got '${channels}'`);
  return {
    data: v['data'] as string | undefined,
    backend: backend as BackendName | undefined,
    epochs: integer(v['epochs'], 'epochs'),
    steps: integer(v['steps'], 'steps'),
    batch: integer(v['batch'], 'batch'),
    seed: integer(v['seed'], 'seed', 0),
    learningRate,
    out: v['out'] as string | undefined,
    resume: Boolean(v['resume']),
    config: v['config'] as string | undefined,
    eval: !v['no-eval'],
    quiet: Boolean(v['quiet']),
    verbose: Boolean(v['verbose']),
    size: integer(v['size'], 'size', 8),
    channels: channels as 1 | 3 | undefined,
    limit: integer(v['limit'], 'limit'),
    evalTrainLimit: integer(v['eval-train-limit'], 'eval-train-limit'),
    knnEvery: integer(v['knn-every'], 'knn-every', 0),
    layerProbes: !v['no-layer-probes'],
  };
}
