// Stands in for Node-only packages that genoise libraries import lazily (`import('sharp')` in
// @genoise/data's image-folder loaders, `import('webgpu')` in @genoise/core's Node WebGPU path), so the
// browser bundle does not carry them. The studio never calls those paths; if it did, this says why.
const message = 'this module is Node-only and is not bundled into the genoise studio';

function nodeOnly(): never {
  throw new Error(message);
}

export default nodeOnly;
export const create = nodeOnly;
export const globals = {};
