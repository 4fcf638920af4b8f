import type { BackendInfo } from '@genoise/core';
import type { BrowserBackend } from '../lib/url-options';
import type {
  Evaluation,
  MethodChoice,
  Neighbours,
  SessionSettings,
  StepResult,
} from './contrastive-session';

/** Page → worker. */
export type ToWorker =
  | {
      readonly type: 'init';
      readonly backend: BrowserBackend | 'auto';
      readonly dataUrl: string;
      readonly settings: Partial<SessionSettings>;
      readonly evalEvery: number;
    }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  | { readonly type: 'reset'; readonly settings?: Partial<SessionSettings> }
  | { readonly type: 'evaluate' }
  | { readonly type: 'neighbours'; readonly query: number; readonly k: number }
  | { readonly type: 'save'; readonly url: string }
  | { readonly type: 'load'; readonly url: string }
  | { readonly type: 'setEvalEvery'; readonly evalEvery: number };

/** Worker → page. Every message carries the worker's live tensor count (`tf.memory().numTensors`). */
export type FromWorker = { readonly numTensors: number } & (
  | {
      readonly type: 'ready';
      readonly info: BackendInfo;
      readonly notice: string | undefined;
      readonly fellBack: boolean;
      readonly settings: SessionSettings;
      /** The methods the page offers, from `@genoise/train`'s registry (see `representationMethods`). */
      readonly methods: readonly MethodChoice[];
    }
  | ({ readonly type: 'step'; readonly stepsPerSecond: number } & StepResult)
  | ({ readonly type: 'evaluation' } & Evaluation)
  | ({ readonly type: 'neighbours' } & Neighbours)
  | { readonly type: 'state'; readonly running: boolean; readonly step: number }
  | { readonly type: 'saved'; readonly url: string; readonly step: number }
  | { readonly type: 'loaded'; readonly url: string; readonly savedAtStep: number | undefined }
  | { readonly type: 'reset'; readonly settings: SessionSettings }
  | { readonly type: 'error'; readonly message: string }
);
