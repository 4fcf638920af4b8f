// @genoise/core/node: the Node-only parts of core (Dawn's WebGPU through the `webgpu` package). The main
// entry stays browser-safe; `initBackend` reaches this entry in Node through a computed import.

export {
  type DawnBackend,
  installNodeWebGPU,
  isSoftwareAdapter,
  type NodeWebGPUAdapterInfo,
  type NodeWebGPUInfo,
  type NodeWebGPUOptions,
  registerNodeWebGPUBackend,
  uninstallNodeWebGPU,
} from './backend/webgpu-node';
export {
  probeNodeWebGPU,
  type WebGPUProbe,
  type WebGPUProbeOptions,
  type WebGPUProbeResult,
} from './backend/webgpu-probe';
