import { GenoiseError } from '@genoise/core';

/** The message for a missing optional peer dependency, with the command that installs it. */
export function missingDependencyMessage(op: string, packageName: string, version: string): string {
  return (
    `${op}: the optional peer dependency '${packageName}' is not installed; ` +
    `install it with \`npm install ${packageName}@${version}\` (or \`pnpm add ${packageName}@${version}\`).`
  );
}

/**
 * The root folder of an installed package, resolved from this module with
 * `createRequire(import.meta.url).resolve('<name>/package.json')` (Node only; works from `dist/` and
 * under vitest).
 *
 * @throws GenoiseError naming the install command when the package cannot be resolved
 */
export async function resolvePackageRoot(op: string, packageName: string, version: string): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  try {
    return dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  } catch (cause) {
    throw new GenoiseError({ op, message: missingDependencyMessage(op, packageName, version), cause });
  }
}

/**
 * Imports an optional module with `importer`, turning a failure into an error naming the install
 * command.
 *
 * @throws GenoiseError naming the install command when the import fails
 */
export async function importOptional<T>(
  op: string,
  packageName: string,
  version: string,
  importer: () => Promise<T>,
): Promise<T> {
  try {
    return await importer();
  } catch (cause) {
    throw new GenoiseError({ op, message: missingDependencyMessage(op, packageName, version), cause });
  }
}
