// @genoise/models/node: what writes files through node:fs — saveModel and loadModel that also read and
// write model folders, and the Keras export writer. The main entry's saveModel/loadModel are
// browser-safe (tf.io URLs and handlers).

export {
  type WriteKerasExportOptions,
  type WrittenKerasExport,
  writeKerasExport,
} from './export/write-keras-export';
export { loadModel, saveModel } from './io/model-folder';
