import { initBackend } from '@genoise/core';
import '@tensorflow/tfjs-backend-wasm';

// The app's tensor logic (the training session) runs on wasm in Node, as it does in a browser without WebGPU.
await initBackend({ prefer: 'wasm' });
