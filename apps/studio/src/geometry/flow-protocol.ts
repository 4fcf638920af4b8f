import type { SessionStep } from '../train/method-session';
import type { WorkerEvent, WorkerRequest } from '../train/worker-protocol';
import type { FlowLabInfo, FlowLabMetrics, FlowLabSettings, FlowLabView } from './flow-lab';

/** Page → flow worker: the studio's worker protocol with the flow lab's start payload and commands. */
export type ToFlowWorker = WorkerRequest<
  {
    readonly settings: Partial<FlowLabSettings>;
    /** Steps between pictures while training. */
    readonly every: number;
  },
  /** Fresh weights; with settings that differ, a new run of those settings (the old one stays on an error). */
  | { readonly type: 'reset'; readonly settings: Partial<FlowLabSettings> }
  /** Show held-out pair `index` from now on, and draw it now. */
  | { readonly type: 'show'; readonly index: number }
>;

/** Flow worker → page (every message carries the worker's live tensor count). */
export type FromFlowWorker = WorkerEvent<
  { readonly lab: FlowLabInfo },
  SessionStep,
  /** The metric line's numbers and the shown pair's panels (their buffers transferred). */
  | { readonly type: 'snapshot'; readonly metrics: FlowLabMetrics; readonly view: FlowLabView }
  | { readonly type: 'view'; readonly view: FlowLabView }
  | { readonly type: 'reset'; readonly lab: FlowLabInfo }
>;
