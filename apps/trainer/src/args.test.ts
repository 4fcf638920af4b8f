import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from './args';

describe('parseCommand', () => {
  it('makes the bare command the default job', () => {
    const c = parseCommand([]);
    expect(c).toMatchObject({
      kind: 'train',
      method: 'simclr',
      isDefaultJob: true,
      options: { data: 'fashion-mnist', eval: true, resume: false },
    });
  });

  it('reads --knn-every (0 turns the monitor off) and rejects negative values', () => {
    expect(parseCommand(['train', '--knn-every', '250'])).toMatchObject({ options: { knnEvery: 250 } });
    expect(parseCommand(['train', '--knn-every', '0'])).toMatchObject({ options: { knnEvery: 0 } });
    expect(parseCommand(['train'])).toMatchObject({ options: { knnEvery: undefined } });
    expect(() => parseCommand(['train', '--knn-every', '-1'])).toThrow(UsageError);
  });

  it('reads train flags', () => {
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
    ]);
    expect(c).toMatchObject({
      kind: 'train',
      method: 'moco',
      isDefaultJob: false,
      options: {
        data: 'mnist',
        epochs: 2,
        batch: 128,
        backend: 'wasm',
        out: 'runs/x',
        resume: true,
        eval: false,
      },
    });
  });

  it('ignores the -- that pnpm forwards', () => {
    expect(parseCommand(['--', 'train', 'byol'])).toMatchObject({ kind: 'train', method: 'byol' });
    expect(parseCommand(['--', '--help'])).toEqual({ kind: 'help' });
  });

  it('reads eval', () => {
    expect(parseCommand(['eval', 'knn', '--checkpoint', 'runs/a'])).toMatchObject({
      kind: 'eval',
      probe: 'knn',
      checkpoint: 'runs/a',
    });
  });

  it('explains mistakes', () => {
    expect(() => parseCommand(['train', 'dino'])).toThrow(
      "genoise train takes simclr, moco, byol, got 'dino'",
    );
    expect(() => parseCommand(['train', '--batch', '0'])).toThrow("--batch must be an integer >= 2, got '0'");
    expect(() => parseCommand(['train', '--backend', 'tpu'])).toThrow(UsageError);
    expect(() => parseCommand(['train', '--resume'])).toThrow('--resume needs --out <run folder>');
    expect(() => parseCommand(['eval', 'knn'])).toThrow('genoise eval needs --checkpoint <run folder>');
    expect(() => parseCommand(['train', '--epochs', '1', '--steps', '2'])).toThrow(
      'give --epochs or --steps, not both',
    );
    expect(() => parseCommand(['--colour'])).toThrow(UsageError);
  });
});
