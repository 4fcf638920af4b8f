import { ArgumentError } from '@genoise/core';

/**
 * What `saveModel` writes beside the weights (`manifest.json` in a folder, or the model's
 * `userDefinedMetadata.genoise` through other `tf.io` handlers), and `loadModel` returns.
 */
export interface ModelManifest {
  /** Always `'genoise-model'`. */
  readonly format: 'genoise-model';
  /** Manifest schema version, 1. */
  readonly version: 1;
  /** The builder (`'smallConvNet'`, `'resnet18'`, ...) and the options it was called with. */
  readonly architecture: { readonly name: string; readonly options: Readonly<Record<string, unknown>> };
  /** Anything the trainer wants to keep with the weights (method, step, hyper-parameters). */
  readonly trainingConfig?: unknown;
  /** ISO 8601 time of saving. */
  readonly createdAt: string;
}

/** Checks that `value` is a {@link ModelManifest}; the error names `where` it was read from. */
export function parseManifest(value: unknown, op: string, argument: string, where: string): ModelManifest {
  const m = value as Partial<ModelManifest> | null;
  const problem =
    typeof m !== 'object' || m === null
      ? 'is not an object'
      : m.format !== 'genoise-model'
        ? `has format ${JSON.stringify(m.format)} instead of 'genoise-model'`
        : m.version !== 1
          ? `has version ${JSON.stringify(m.version)}; this genoise reads version 1`
          : typeof m.architecture?.name !== 'string' || typeof m.architecture.options !== 'object'
            ? 'has no architecture { name, options }'
            : typeof m.createdAt !== 'string'
              ? 'has no createdAt'
              : undefined;
  if (problem !== undefined) {
    throw new ArgumentError({
      op,
      argument,
      message: `${op}: the manifest in ${where} ${problem}; expected a genoise model manifest (format 'genoise-model', version 1).`,
    });
  }
  return m as ModelManifest;
}
