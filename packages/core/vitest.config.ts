import { defineBackendMatrix } from '@genoise/vitest/config';

// core's tests hold on WebGPU too: with GENOISE_TEST_WEBGPU=1 they also run on SwiftShader through Dawn.
export default defineBackendMatrix({ webgpu: true });
