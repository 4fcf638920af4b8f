import type {
  Evaluation,
  MethodChoice,
  Neighbours,
  SessionSettings,
  StepResult,
} from './contrastive-session';
import type { WorkerEvent, WorkerRequest } from './worker-protocol';

/** Page → contrastive worker: the studio's worker protocol with the page's start payload and commands. */
export type ToWorker = WorkerRequest<
  {
    readonly dataUrl: string;
    readonly settings: Partial<SessionSettings>;
    readonly evalEvery: number;
  },
  | { readonly type: 'reset'; readonly settings?: Partial<SessionSettings> }
  | { readonly type: 'evaluate' }
  | { readonly type: 'neighbours'; readonly query: number; readonly k: number }
  | { readonly type: 'save'; readonly url: string }
  | { readonly type: 'load'; readonly url: string }
  | { readonly type: 'setEvalEvery'; readonly evalEvery: number }
>;

/** Contrastive worker → page (every message carries the worker's live tensor count). */
export type FromWorker = WorkerEvent<
  {
    readonly settings: SessionSettings;
    /** The methods the page offers, from `@genoise/train`'s registry (see `representationMethods`). */
    readonly methods: readonly MethodChoice[];
  },
  StepResult,
  | ({ readonly type: 'evaluation' } & Evaluation)
  | ({ readonly type: 'neighbours' } & Neighbours)
  | { readonly type: 'saved'; readonly url: string; readonly step: number }
  | { readonly type: 'loaded'; readonly url: string; readonly savedAtStep: number | undefined }
  | { readonly type: 'reset'; readonly settings: SessionSettings }
>;
