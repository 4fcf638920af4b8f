import { importOptional } from './optional-dependency';

/** The `sharp` module (its default export is the constructor). */
export type SharpModule = typeof import('sharp');
/** The `sharp` constructor function. */
export type Sharp = SharpModule['default'];

/**
 * Imports `sharp` lazily, turning a failure into an error naming the install command. `importer` is
 * replaceable for tests.
 */
export async function loadSharp(
  op = 'loadImageFolder',
  importer: () => Promise<Pick<SharpModule, 'default'>> = () => import('sharp'),
): Promise<Sharp> {
  const module = await importOptional(op, 'sharp', '0.35.5', importer);
  return module.default;
}
