import { methodNames } from '@genoise/train';
import { describe, expect, it } from 'vitest';
import { methodFlags, methodUsage, parseCommand, UsageError, usage } from './args';

describe('parseCommand', () => {
  it('makes the bare command the default job', () => {
    expect(parseCommand([])).toMatchObject({
      kind: 'train',
      method: 'simclr',
      isDefaultJob: true,
      flags: { data: undefined, eval: true, resume: false },
      methodOptions: {},
    });
  });

  it('reads shared and task flags', () => {
    const c = parseCommand([
      'train',
      'moco',
      '--data',
      'mnist',
      '--epochs',
      '2',
      '--batch',
      '128',
      '--backend',
      'wasm',
      '--out',
      'runs/x',
      '--resume',
      '--no-eval',
      '--knn-every',
      '0',
    ]);
    expect(c).toMatchObject({
      kind: 'train',
      method: 'moco',
      isDefaultJob: false,
      flags: {
        data: 'mnist',
        epochs: 2,
        batch: 128,
        backend: 'wasm',
        out: 'runs/x',
        resume: true,
        eval: false,
        knnEvery: 0,
      },
    });
  });

  it("turns each method's scalar options into flags, typed by their defaults", () => {
    expect(parseCommand(['train', 'moco', '--queue-size', '1024', '--views-flip', 'false'])).toMatchObject({
      methodOptions: { queueSize: 1024, views: { flip: false } },
    });
    expect(parseCommand(['train', 'stereo', '--consistency', 'no-lr'])).toMatchObject({
      methodOptions: { consistency: 'no-lr' },
    });
    expect(() => parseCommand(['train', 'moco', '--queue-size', 'many'])).toThrow(
      "--queue-size must be a number, got 'many'",
    );
    // Flags belong to their method and task: stereo has no queue, depth methods no kNN monitor.
    expect(() => parseCommand(['train', 'stereo', '--queue-size', '3'])).toThrow(UsageError);
    expect(() => parseCommand(['train', 'stereo', '--knn-every', '3'])).toThrow(UsageError);
    expect(() => parseCommand(['train', 'simclr', '--consistency', 'lr'])).toThrow(UsageError);
    expect(methodFlags({ options: { a: 1, g: { b: true, c: [1] } } } as never).map((f) => f.flag)).toEqual([
      'a',
      'g-b',
    ]);
  });

  it('ignores the -- that pnpm forwards, and reads eval', () => {
    expect(parseCommand(['--', 'train', 'byol'])).toMatchObject({ kind: 'train', method: 'byol' });
    expect(parseCommand(['--', '--help'])).toEqual({ kind: 'help', method: undefined });
    expect(parseCommand(['train', 'vicreg', '--help'])).toEqual({ kind: 'help', method: 'vicreg' });
    expect(parseCommand(['eval', 'knn', '--checkpoint', 'runs/a'])).toMatchObject({
      kind: 'eval',
      probe: 'knn',
      checkpoint: 'runs/a',
    });
  });

  it('explains mistakes', () => {
    expect(() => parseCommand(['train', 'dino'])).toThrow(
      `genoise train takes ${methodNames().join(', ')}, got 'dino'`,
    );
    expect(() => parseCommand(['train', '--batch', '0'])).toThrow("--batch must be an integer >= 1, got '0'");
    expect(() => parseCommand(['train', '--backend', 'tpu'])).toThrow(UsageError);
    expect(() => parseCommand(['train', '--resume'])).toThrow('--resume needs --out <run folder>');
    expect(() => parseCommand(['eval', 'knn'])).toThrow('genoise eval needs --checkpoint <run folder>');
    expect(() => parseCommand(['train', '--epochs', '1', '--steps', '2'])).toThrow(
      'give --epochs or --steps, not both',
    );
    expect(() => parseCommand(['--colour'])).toThrow(UsageError);
  });

  it('builds the help text from the registry', () => {
    for (const name of methodNames()) expect(usage()).toContain(`  ${name} `);
    expect(methodUsage('moco')).toContain('--queue-size <number>');
    expect(methodUsage('moco')).toContain('default 4096');
  });

  it('parses genoise transfer: task, run folders, label shares and seeds, with defaults', () => {
    expect(
      parseCommand([
        'transfer',
        'classify',
        '--checkpoint',
        'runs/a,runs/b',
        '--labels',
        '0.01,0.1',
        '--seeds',
        '0,1',
      ]),
    ).toMatchObject({
      kind: 'transfer',
      task: 'classify',
      checkpoints: ['runs/a', 'runs/b'],
      transfer: { labels: [0.01, 0.1], seeds: [0, 1], steps: 500, batch: 64, views: 600 },
    });
    expect(parseCommand(['transfer', 'normals', '--checkpoint', 'r', '--steps', '300'])).toMatchObject({
      transfer: { steps: 300, seeds: [0, 1, 2] },
    });
    expect(() => parseCommand(['transfer', 'depth', '--checkpoint', 'r'])).toThrow(/classify or normals/);
    expect(() => parseCommand(['transfer', 'classify'])).toThrow(/needs --checkpoint/);
    expect(() => parseCommand(['transfer', 'classify', '--checkpoint', 'r', '--labels', '2'])).toThrow(
      /--labels takes shares in \(0, 1\]/,
    );
  });
});
