import { GenoiseError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { loadSharp } from './load-sharp';
import { resolvePackageRoot } from './optional-dependency';

describe('optional dependencies', () => {
  it('resolves an installed package root', async () => {
    expect(await resolvePackageRoot('loadMnist', 'mnist', '1.1.0')).toMatch(/mnist$/);
  });

  it('names the install command when a package is missing', async () => {
    const error = await resolvePackageRoot('loadFashionMnist', 'genoise-missing-package', '1.0.0').catch(
      (e) => e,
    );
    expect(GenoiseError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "loadFashionMnist: the optional peer dependency 'genoise-missing-package' is not installed; install it with `npm install genoise-missing-package@1.0.0` (or `pnpm add genoise-missing-package@1.0.0`).",
    );
  });

  it('names the sharp install command when sharp cannot be imported', async () => {
    await expect(
      loadSharp('loadImageFolder', () => Promise.reject(new Error('Cannot find module'))),
    ).rejects.toThrow(
      "loadImageFolder: the optional peer dependency 'sharp' is not installed; install it with `npm install sharp@0.35.5`",
    );
    expect(typeof (await loadSharp())).toBe('function');
  });
});
