import type { BackendInfo } from '@genoise/core';
import type { BrowserBackend } from '../lib/url-options';
import type { SessionStep } from '../train/method-session';
import type { FlowLabInfo, FlowLabMetrics, FlowLabSettings, FlowLabView } from './flow-lab';

/** Page → flow worker. */
export type ToFlowWorker =
  | {
      readonly type: 'init';
      readonly backend: BrowserBackend | 'auto';
      readonly settings: Partial<FlowLabSettings>;
      /** Steps between pictures while training. */
      readonly every: number;
    }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  /** Fresh weights; with settings that differ, a new run of those settings (the old one stays on an error). */
  | { readonly type: 'reset'; readonly settings: Partial<FlowLabSettings> }
  /** Show held-out pair `index` from now on, and draw it now. */
  | { readonly type: 'show'; readonly index: number };

/** Flow worker → page. Every message carries the worker's live tensor count (`tf.memory().numTensors`). */
export type FromFlowWorker = { readonly numTensors: number } & (
  | {
      readonly type: 'ready';
      readonly info: BackendInfo;
      readonly notice: string | undefined;
      readonly fellBack: boolean;
      readonly lab: FlowLabInfo;
    }
  | ({ readonly type: 'step'; readonly stepsPerSecond: number } & SessionStep)
  /** The metric line's numbers and the shown pair's panels (their buffers transferred). */
  | { readonly type: 'snapshot'; readonly metrics: FlowLabMetrics; readonly view: FlowLabView }
  | { readonly type: 'view'; readonly view: FlowLabView }
  | {
      readonly type: 'state';
      readonly running: boolean;
      readonly finished: boolean;
      readonly step: number;
    }
  | { readonly type: 'reset'; readonly lab: FlowLabInfo }
  | { readonly type: 'error'; readonly message: string }
);
