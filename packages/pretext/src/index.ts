export { type ClassificationLossOptions, classificationLoss } from './classification/classification-loss';
export { rotate90 } from './rotation/rotate90';
export { type RotationNetworkOptions, rotationNetwork } from './rotation/rotation-network';
export { type RotationTask, type RotationTaskOptions, rotationTask } from './rotation/rotation-task';
