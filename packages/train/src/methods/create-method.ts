import { ArgumentError } from '@genoise/core';
import { byol } from './byol';
import type { MethodContext, TrainingMethod } from './method';
import { moco } from './moco';
import { simclr } from './simclr';

/** Builds the method a config names (`simclr`, `moco`, `byol`) with fresh, key-initialised weights. */
export async function createMethod(context: MethodContext): Promise<TrainingMethod> {
  switch (context.config.method) {
    case 'simclr':
      return simclr(context);
    case 'moco':
      return moco(context);
    case 'byol':
      return byol(context);
    default:
      throw new ArgumentError({
        op: 'createMethod',
        argument: 'config.method',
        expected: 'simclr | moco | byol',
        actual: JSON.stringify(context.config.method),
      });
  }
}
