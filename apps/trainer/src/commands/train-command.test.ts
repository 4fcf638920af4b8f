import { describe, expect, it } from 'vitest';
import { parseCommand } from '../args';
import { configFor } from './train-command';

function flagsOf(argv: string[]) {
  const command = parseCommand(argv);
  if (command.kind !== 'train') throw new Error('not a train command');
  return command;
}

describe('configFor', () => {
  it("uses the method's budget for the backend unless a length is asked for", async () => {
    const c = flagsOf(['train', 'simclr']);
    expect((await configFor('simclr', c.flags, c.methodOptions, {}, 'wasm')).steps).toBe(1200);
    expect((await configFor('simclr', c.flags, c.methodOptions, {}, 'tensorflow')).steps).toBe(4000);
    const asked = flagsOf(['train', 'simclr', '--steps', '30']);
    expect((await configFor('simclr', asked.flags, asked.methodOptions, {}, 'tensorflow')).steps).toBe(30);
    const epochs = flagsOf(['train', 'simclr', '--epochs', '2']);
    const byEpochs = await configFor('simclr', epochs.flags, epochs.methodOptions, {}, 'tensorflow');
    expect([byEpochs.steps, byEpochs.epochs]).toEqual([undefined, 2]);
    // A method without a tensorflow budget keeps its own.
    const moco = flagsOf(['train', 'moco']);
    expect((await configFor('moco', moco.flags, moco.methodOptions, {}, 'tensorflow')).steps).toBe(1000);
  });

  it('merges what the data implies, then flags (method options included)', async () => {
    const c = flagsOf(['train', 'moco', '--queue-size', '512', '--seed', '3']);
    const config = await configFor('moco', c.flags, c.methodOptions, { views: { flip: false } }, 'wasm');
    expect(config.seed).toBe(3);
    expect(config.method).toMatchObject({
      name: 'moco',
      queueSize: 512,
      views: { flip: false, preset: 'small' },
    });
    const flipped = flagsOf(['train', 'moco', '--views-flip', 'true']);
    const again = await configFor(
      'moco',
      flipped.flags,
      flipped.methodOptions,
      { views: { flip: false } },
      'wasm',
    );
    expect(again.method).toMatchObject({ views: { flip: true } });
  });
});
