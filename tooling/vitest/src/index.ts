export { type GradCheckOptions, type GradCheckReport, gradCheck } from './grad-check';
export { expectNoLeaks } from './no-leaks';
export { publicApi } from './public-api';
export { setupTestBackend, testBackend } from './setup';
export { type CloseOptions, expectTensorClose, type TensorLike } from './tensor-close';
