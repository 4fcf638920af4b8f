/**
 * Work-arounds for known regressions of the TensorFlow library behind tfjs-node's `tensorflow`
 * backend. tfjs-node 4.22 was built for TensorFlow 2.9; genoise also runs it on newer TensorFlow
 * builds (e.g. the 2.21 C API of a `tensorflow-cpu` wheel, see tooling/scripts/setup-tfjs-node.mjs).
 *
 * Not part of the public API beyond what index.ts re-exports.
 *
 * @packageDocumentation
 */

import {
  getKernel,
  type KernelConfig,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';

/** The backend name tfjs-node registers. */
const TENSORFLOW = 'tensorflow';

/** Marks a kernel config registered here, so a second call does not wrap it twice. */
const PATCHED = Symbol.for('genoise.tensorflowFix');

/** The subset of tfjs-node's backend used here. */
interface TensorFlowBinding {
  readonly TF_Version?: string;
  isUsingGpuDevice?(): boolean;
}

/**
 * Parses `'2.21.0'`, `'2.17.0-rc1'` or `'2.9.1'` into `[major, minor, patch]`; `undefined` when the
 * text does not start with `major.minor`.
 */
export function parseTensorFlowVersion(version: string): readonly [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (m === null) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/**
 * Whether TensorFlow `version` has the int32 `Round` regression: since TensorFlow 2.17, `Round` on an
 * int32 tensor returns zeros (tensorflow/tensorflow#74789). An unknown version is assumed affected
 * (the fix is exact for any version: rounding an integer is the identity).
 */
export function hasInt32RoundBug(version: string | undefined): boolean {
  const v = version === undefined ? undefined : parseTensorFlowVersion(version);
  if (v === undefined) return true;
  return v[0] > 2 || (v[0] === 2 && v[1] >= 17);
}

/**
 * The TensorFlow version and device behind the active tfjs backend object, read from tfjs-node's
 * native binding; `undefined` when `backend` is not tfjs-node's.
 */
export function tensorflowBindingInfo(backend: unknown): { version: string; gpu: boolean } | undefined {
  const binding = (backend as { binding?: TensorFlowBinding } | undefined)?.binding;
  if (binding === undefined || typeof binding.TF_Version !== 'string') return undefined;
  let gpu = false;
  try {
    gpu = binding.isUsingGpuDevice?.() === true;
  } catch {
    gpu = false;
  }
  return { version: binding.TF_Version, gpu };
}

/**
 * Registers genoise's work-arounds on the `tensorflow` backend for TensorFlow `version`. Today one:
 * int32 `Round` goes to `Identity` (exact: an integer rounds to itself) on TensorFlow >= 2.17
 * (tensorflow/tensorflow#74789), other dtypes keep TensorFlow's kernel. Idempotent.
 *
 * @param version - The TensorFlow version behind tfjs-node (`TF_Version()`), e.g. `'2.21.0'`.
 * @returns The names of the fixes in force afterwards, e.g. `['int32 Round -> Identity']`.
 */
export function registerTensorFlowFixes(version: string | undefined): string[] {
  const fixes: string[] = [];
  if (!hasInt32RoundBug(version)) return fixes;
  const round = getKernel('Round', TENSORFLOW) as (KernelConfig & { [PATCHED]?: true }) | undefined;
  const identity = getKernel('Identity', TENSORFLOW) as KernelConfig | undefined;
  if (round === undefined || identity === undefined) return fixes;
  fixes.push('int32 Round -> Identity');
  if (round[PATCHED] === true) return fixes;
  const original = round.kernelFunc;
  const patched: KernelConfig & { [PATCHED]: true } = {
    kernelName: 'Round',
    backendName: TENSORFLOW,
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo | undefined;
      return x?.dtype === 'int32' ? identity.kernelFunc({ ...args, inputs: { x } }) : original(args);
    },
    [PATCHED]: true,
  };
  unregisterKernel('Round', TENSORFLOW);
  registerKernel(patched);
  return fixes;
}
