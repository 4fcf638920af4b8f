import type { MethodTask } from '@genoise/train';
import { depthTask } from './depth-task';
import { flowTask } from './flow-task';
import { representationTask } from './representation-task';
import { sceneFlowTask } from './scene-flow-task';
import type { Task } from './task';

/** The trainer's task for each kind of method the registry holds. */
export const TASKS: Record<MethodTask, () => Task> = {
  representation: representationTask,
  depth: depthTask,
  flow: flowTask,
  'scene-flow': sceneFlowTask,
};
