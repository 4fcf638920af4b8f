import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '@genoise/core';
import {
  GEOMETRY_METHOD_NAMES,
  type GeometryMethodName,
  METHOD_NAMES,
  type MethodName,
  type StereoConsistency,
} from '@genoise/train';

/** A parsed command line. */
export type Command =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'train';
      readonly method: MethodName;
      readonly options: TrainFlags;
      readonly isDefaultJob: boolean;
    }
  | { readonly kind: 'geometry'; readonly method: GeometryMethodName; readonly options: GeometryFlags }
  | {
      readonly kind: 'eval';
      readonly probe: 'knn' | 'linear' | 'all';
      readonly checkpoint: string;
      readonly options: CommonFlags;
    };

/** Flags every command shares. */
export interface CommonFlags {
  readonly data: string;
  readonly backend: BackendName | undefined;
  readonly evalTrainLimit: number | undefined;
  readonly quiet: boolean;
}

/** Flags of `genoise train`. */
export interface TrainFlags extends CommonFlags {
  readonly epochs: number | undefined;
  readonly steps: number | undefined;
  readonly batch: number | undefined;
  readonly seed: number | undefined;
  readonly learningRate: number | undefined;
  readonly out: string | undefined;
  readonly resume: boolean;
  readonly config: string | undefined;
  readonly size: number | undefined;
  readonly channels: 1 | 3 | undefined;
  readonly limit: number | undefined;
  readonly eval: boolean;
  /** Monitor kNN top-1 on the test split every n steps (0: off; default 400 for the default job, else 0). */
  readonly knnEvery: number | undefined;
}

/** Flags of `genoise train stereo|monodepth2|sfmlearner`. */
export interface GeometryFlags {
  /** `'synthetic'` (default) or a folder (stereo: `left/` and `right/`; monocular: frame sequences with intrinsics). */
  readonly data: string;
  readonly backend: BackendName | undefined;
  readonly steps: number | undefined;
  readonly batch: number | undefined;
  readonly seed: number | undefined;
  readonly learningRate: number | undefined;
  readonly out: string | undefined;
  readonly resume: boolean;
  readonly config: string | undefined;
  readonly consistency: StereoConsistency | undefined;
  readonly eval: boolean;
  readonly quiet: boolean;
}

/** A command-line mistake: the message is printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `genoise — self-supervised learning on TensorFlow.js

Usage:
  genoise                                   the default job: SimCLR on Fashion-MNIST, then kNN and linear probes
  genoise train <simclr|moco|byol> [flags]  pretrain, then evaluate against a random-init encoder and raw pixels
  genoise train <stereo|monodepth2|sfmlearner> [flags]
                                            self-supervised depth (stereo pairs or video), then depth metrics
                                            against the untrained network and a constant-depth baseline
  genoise eval <knn|linear|all> --checkpoint <run folder> [flags]

Flags:
  --data <fashion-mnist|mnist|folder>  dataset (default fashion-mnist); a folder of images, labels from sub-folders
  --epochs <n> | --steps <n>           training length (default: the method's budget for this machine)
  --batch <n>                          batch size (default 256)
  --lr <x>                             peak learning rate
  --seed <n>                           seed of every random choice (default 0)
  --backend <${BACKEND_NAMES.join('|')}>  force a backend (default: the fastest available)
  --out <dir>                          run folder (default runs/<method>-<data>-<time>)
  --resume                             continue the run in --out from its last checkpoint
  --config <file.json>                 training config overrides (see @genoise/train's TrainConfig)
  --size <px> --channels <1|3>         image size and channels for a folder dataset (default 32, 3)
  --limit <n>                          use only n training images
  --eval-train-limit <n>               images of the train split used as the kNN bank and probe training set
  --no-eval                            skip the evaluation after training
  --knn-every <n>                      kNN top-1 on the test split every n steps during training (0: off)
  --quiet                              no progress bar
  -h, --help

Depth (stereo, monodepth2, sfmlearner): --data <synthetic|folder> (default synthetic), --steps, --batch, --lr,
  --seed, --backend, --out, --resume, --config <file.json> (see @genoise/train's GeometryConfig), --no-eval,
  --consistency <naive|no-lr|lr>  stereo loss terms, as in Monodepth's comparison (default lr)`;

function integer(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} must be an integer >= ${min}, got '${value}'`);
  return n;
}

/** Parses `argv` (without node and the script) into a {@link Command}. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      // `pnpm start -- train moco` forwards the `--` itself: drop it.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        epochs: { type: 'string' },
        steps: { type: 'string' },
        batch: { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        backend: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean', default: false },
        config: { type: 'string' },
        size: { type: 'string' },
        channels: { type: 'string' },
        limit: { type: 'string' },
        'eval-train-limit': { type: 'string' },
        'no-eval': { type: 'boolean', default: false },
        'knn-every': { type: 'string' },
        checkpoint: { type: 'string' },
        consistency: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed as {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
  };
  if (v['help']) return { kind: 'help' };
  const backend = v['backend'] as string | undefined;
  if (backend !== undefined && !BACKEND_NAMES.includes(backend as BackendName)) {
    throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got '${backend}'`);
  }
  const common: CommonFlags = {
    data: (v['data'] as string | undefined) ?? 'fashion-mnist',
    backend: backend as BackendName | undefined,
    evalTrainLimit: integer(v['eval-train-limit'] as string | undefined, 'eval-train-limit'),
    quiet: Boolean(v['quiet']),
  };
  const [command = 'train', sub, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  if (command === 'eval') {
    const probe = (sub ?? 'all') as 'knn' | 'linear' | 'all';
    if (!['knn', 'linear', 'all'].includes(probe))
      throw new UsageError(`genoise eval takes knn, linear or all, got '${sub}'`);
    const checkpoint = v['checkpoint'] as string | undefined;
    if (!checkpoint) throw new UsageError('genoise eval needs --checkpoint <run folder>');
    return { kind: 'eval', probe, checkpoint, options: common };
  }
  if (command !== 'train') throw new UsageError(`unknown command '${command}' (train or eval)`);
  if (GEOMETRY_METHOD_NAMES.includes(sub as GeometryMethodName))
    return parseGeometry(sub as GeometryMethodName, v, common.backend);
  if (v['consistency'] !== undefined)
    throw new UsageError('--consistency applies to genoise train stereo only');
  const method = (sub ?? 'simclr') as MethodName;
  if (!METHOD_NAMES.includes(method))
    throw new UsageError(
      `genoise train takes ${METHOD_NAMES.join(', ')}, got '${sub}' (depth: ${GEOMETRY_METHOD_NAMES.join(', ')})`,
    );
  const lr = v['lr'] as string | undefined;
  const learningRate = lr === undefined ? undefined : Number(lr);
  if (learningRate !== undefined && !(learningRate > 0))
    throw new UsageError(`--lr must be a positive number, got '${lr}'`);
  const channels = integer(v['channels'] as string | undefined, 'channels');
  if (channels !== undefined && channels !== 1 && channels !== 3)
    throw new UsageError(`--channels must be 1 or 3, got '${channels}'`);
  if (v['epochs'] !== undefined && v['steps'] !== undefined)
    throw new UsageError('give --epochs or --steps, not both');
  const options: TrainFlags = {
    ...common,
    epochs: integer(v['epochs'] as string | undefined, 'epochs'),
    steps: integer(v['steps'] as string | undefined, 'steps'),
    batch: integer(v['batch'] as string | undefined, 'batch', 2),
    seed: integer(v['seed'] as string | undefined, 'seed', 0),
    learningRate,
    out: v['out'] as string | undefined,
    resume: Boolean(v['resume']),
    config: v['config'] as string | undefined,
    size: integer(v['size'] as string | undefined, 'size', 8),
    channels: channels as 1 | 3 | undefined,
    limit: integer(v['limit'] as string | undefined, 'limit'),
    eval: !v['no-eval'],
    knnEvery: integer(v['knn-every'] as string | undefined, 'knn-every', 0),
  };
  if (options.resume && !options.out) throw new UsageError('--resume needs --out <run folder>');
  return { kind: 'train', method, options, isDefaultJob: positionals.length === 0 };
}

const GEOMETRY_REJECTS = [
  'epochs',
  'size',
  'channels',
  'limit',
  'eval-train-limit',
  'knn-every',
  'checkpoint',
];

function parseGeometry(
  method: GeometryMethodName,
  v: Record<string, string | boolean | undefined>,
  backend: BackendName | undefined,
): Command {
  for (const flag of GEOMETRY_REJECTS)
    if (v[flag] !== undefined) throw new UsageError(`--${flag} does not apply to genoise train ${method}`);
  const consistency = v['consistency'] as string | undefined;
  if (consistency !== undefined) {
    if (method !== 'stereo') throw new UsageError('--consistency applies to genoise train stereo only');
    if (!['naive', 'no-lr', 'lr'].includes(consistency))
      throw new UsageError(`--consistency must be naive, no-lr or lr, got '${consistency}'`);
  }
  const lr = v['lr'] as string | undefined;
  const learningRate = lr === undefined ? undefined : Number(lr);
  if (learningRate !== undefined && !(learningRate > 0))
    throw new UsageError(`--lr must be a positive number, got '${lr}'`);
  const options: GeometryFlags = {
    data: (v['data'] as string | undefined) ?? 'synthetic',
    backend,
    steps: integer(v['steps'] as string | undefined, 'steps'),
    batch: integer(v['batch'] as string | undefined, 'batch'),
    seed: integer(v['seed'] as string | undefined, 'seed', 0),
    learningRate,
    out: v['out'] as string | undefined,
    resume: Boolean(v['resume']),
    config: v['config'] as string | undefined,
    consistency: consistency as StereoConsistency | undefined,
    eval: !v['no-eval'],
    quiet: Boolean(v['quiet']),
  };
  if (options.resume && !options.out) throw new UsageError('--resume needs --out <run folder>');
  return { kind: 'geometry', method, options };
}
