import { describe, expect, it } from 'vitest';
import { parseCommand, USAGE, UsageError } from './args';

describe('parseCommand: depth recipes', () => {
  it('parses genoise train stereo|monodepth2|sfmlearner with their flags and defaults', () => {
    expect(parseCommand(['train', 'stereo'])).toEqual({
      kind: 'geometry',
      method: 'stereo',
      options: {
        data: 'synthetic',
        backend: undefined,
        steps: undefined,
        batch: undefined,
        seed: undefined,
        learningRate: undefined,
        out: undefined,
        resume: false,
        config: undefined,
        consistency: undefined,
        eval: true,
        quiet: false,
      },
    });
    const command = parseCommand([
      'train',
      'stereo',
      '--data',
      'rig/',
      '--steps',
      '40',
      '--batch',
      '2',
      '--seed',
      '3',
      '--lr',
      '5e-4',
      '--consistency',
      'no-lr',
      '--backend',
      'wasm',
      '--out',
      'runs/a',
      '--resume',
      '--quiet',
      '--no-eval',
    ]);
    expect(command).toMatchObject({
      kind: 'geometry',
      method: 'stereo',
      options: {
        data: 'rig/',
        steps: 40,
        batch: 2,
        seed: 3,
        learningRate: 5e-4,
        consistency: 'no-lr',
        backend: 'wasm',
        out: 'runs/a',
        resume: true,
        quiet: true,
        eval: false,
      },
    });
    expect(parseCommand(['train', 'monodepth2', '--steps', '5'])).toMatchObject({
      kind: 'geometry',
      method: 'monodepth2',
      options: { steps: 5 },
    });
    expect(parseCommand(['train', 'sfmlearner'])).toMatchObject({ kind: 'geometry', method: 'sfmlearner' });
  });

  it('rejects flags that do not apply, with the reason', () => {
    const fails = (argv: string[], message: string) => {
      expect(() => parseCommand(argv)).toThrow(UsageError);
      expect(() => parseCommand(argv)).toThrow(message);
    };
    fails(
      ['train', 'monodepth2', '--consistency', 'lr'],
      '--consistency applies to genoise train stereo only',
    );
    fails(['train', 'simclr', '--consistency', 'lr'], '--consistency applies to genoise train stereo only');
    fails(
      ['train', 'stereo', '--consistency', 'both'],
      "--consistency must be naive, no-lr or lr, got 'both'",
    );
    fails(['train', 'stereo', '--epochs', '2'], '--epochs does not apply to genoise train stereo');
    fails(['train', 'stereo', '--resume'], '--resume needs --out <run folder>');
    fails(['train', 'stereo', '--steps', '0'], "--steps must be an integer >= 1, got '0'");
    fails(
      ['train', 'dino'],
      "genoise train takes simclr, moco, byol, got 'dino' (depth: stereo, monodepth2, sfmlearner)",
    );
  });

  it('keeps the contrastive commands and lists the depth recipes in the usage', () => {
    expect(parseCommand(['train', 'moco'])).toMatchObject({ kind: 'train', method: 'moco' });
    expect(USAGE).toContain('genoise train <simclr|moco|byol> [flags]');
    expect(USAGE).toContain('genoise train <stereo|monodepth2|sfmlearner> [flags]');
    expect(USAGE).toContain('--consistency <naive|no-lr|lr>');
  });
});
