export {
  BACKEND_NAMES,
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  defaultBackendOrder,
  describeBackend,
  detectPlatform,
  type Platform,
  type TensorFlowInfo,
} from './backend/backend-info';
export { backendInfo, type InitBackendOptions, initBackend } from './backend/init-backend';
export { isSoftwareAdapter } from './backend/software-adapter';
export {
  type CheckContext,
  checkDType,
  checkShape,
  checkTensor,
  type DimSpec,
  ShapeBindings,
  shapeBindings,
} from './checks/check-shape';
export {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkOptions,
  describeValue,
  type IntegerCheckContext,
  type NumberCheckContext,
  type OptionsCheckContext,
  type ValueCheckContext,
} from './checks/check-values';
export {
  ArgumentError,
  BackendError,
  DTypeError,
  GenoiseError,
  type GenoiseErrorFields,
  ShapeError,
} from './errors/errors';
export { registerChainedOps, registerGradients } from './gradients/register-gradients';
export {
  asBatch,
  checkImages,
  fromUint8,
  grayscale,
  type ImageCheckOptions,
  LUMA_WEIGHTS,
  toUint8,
} from './image/image';
export { L2_NORMALIZE_EPSILON, type L2NormalizeOptions, l2Normalize } from './image/l2-normalize';
export { reflectPad } from './image/reflect-pad';
export { resizeBilinear } from './image/resize-bilinear';
export { defineOp } from './ops/define-op';
export {
  checkKey,
  createKey,
  foldIn,
  isKey,
  type Key,
  keyFromString,
  keyToString,
  splitKey,
} from './random/key';
export { bernoulli, normal, permutation, randint, shuffle, uniform } from './random/random-tensors';
export {
  bernoulliValues,
  normalValues,
  permutationValues,
  randintValues,
  randomBits,
  uniformValues,
} from './random/random-values';
export { registerWasmTrainingKernels } from './wasm/register-wasm-training-kernels';
