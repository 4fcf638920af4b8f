import type { FitResult, Method, MethodData, MethodSpec, StepEvent, TrainConfig } from '@genoise/train';
import type { TrainFlags } from '../args';

/** What a task contributes to the report. */
export interface TaskReport {
  /** The table printed and written to `table.txt`. */
  readonly table: string;
  /** Rows and curves for `report.json`. */
  readonly json: Record<string, unknown>;
  /** Sections of `report.html` after the loss curve. */
  readonly sections: readonly { readonly heading?: string; readonly html: string }[];
  /** Lines for the report's summary. */
  readonly summary: readonly string[];
}

/** One run of a task: its data, its baselines before training, its monitor, its evaluation after. */
export interface TaskRun {
  readonly data: MethodData;
  readonly dataName: string;
  /** Measures the baselines (before training, while memory is fresh). */
  baselines(): Promise<void>;
  /** Called after each step (e.g. the kNN monitor). */
  onStep?(event: StepEvent, method: Method, note: (line: string) => void): Promise<void>;
  /** Evaluates the trained method against the baselines. */
  evaluate(result: FitResult): Promise<TaskReport>;
  dispose(): void;
}

/**
 * A task of the trainer: how a kind of method (see `MethodSpec.task`) gets its data, baselines,
 * evaluation and report. Every method of a task shares it, so a new method is a file and a registry
 * line in `@genoise/train`, with nothing to add here.
 */
export interface Task {
  /** The default `--data`. */
  readonly defaultData: string;
  /** Loads what the data says about the method's options (e.g. no mirrored views of digits), with notes to print. */
  dataDefaults(
    flags: TrainFlags,
    spec: MethodSpec,
    log: (line: string) => void,
  ): Promise<Record<string, unknown>>;
  /** Opens a run on the resolved config. */
  open(
    config: TrainConfig,
    flags: TrainFlags,
    context: { readonly isDefaultJob: boolean; readonly log: (line: string) => void },
  ): Promise<TaskRun>;
}
