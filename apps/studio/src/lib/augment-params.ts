// Shows and edits the parameters a view recipe sampled, for one image (sample 0 of the batch).
// An augmentation's params are plain objects of typed arrays (`sample(key) -> params`, `apply(x, params)`),
// so the page can change any of them and apply again: "what does a crop of this box with this jitter do".

export type RecipeId = 'simclr' | 'byol' | 'mocoV2';

/** A number the page can edit, with its range. */
export interface FieldView {
  readonly name: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** One stage of a view's pipeline, as the page shows it. */
export interface StageView {
  readonly index: number;
  readonly label: string;
  /** Whether the stage was applied to the image (its probability `p` drew 1). */
  readonly applied: boolean | undefined;
  readonly fields: readonly FieldView[];
  /** Read-only facts, e.g. the order of the colour adjustments. */
  readonly notes: readonly string[];
}

/** Stages whose params hold only `applied`, in pipeline order, per recipe and view (see @genoise/augment's recipes). */
const APPLIED_ONLY: Record<RecipeId, readonly [readonly string[], readonly string[]]> = {
  simclr: [
    ['horizontal flip', 'grayscale'],
    ['horizontal flip', 'grayscale'],
  ],
  byol: [
    ['horizontal flip', 'grayscale'],
    ['horizontal flip', 'grayscale', 'solarize'],
  ],
  mocoV2: [
    ['grayscale', 'horizontal flip'],
    ['grayscale', 'horizontal flip'],
  ],
};

const JITTER_NAMES = ['brightness', 'contrast', 'saturation', 'hue'] as const;

type Params = Record<string, unknown>;

function first(params: Params, name: string): number {
  const values = params[name] as ArrayLike<number> | undefined;
  return values?.[0] ?? 0;
}

/** Describes every stage of a view's params (an array, one entry per pipeline stage). */
export function describeStages(recipe: RecipeId, view: 0 | 1, params: readonly unknown[]): StageView[] {
  const appliedOnly = [...APPLIED_ONLY[recipe][view]];
  return params.map((raw, index) => {
    const p = raw as Params;
    const applied = p['applied'] instanceof Uint8Array ? p['applied'][0] === 1 : undefined;
    if ('top' in p && 'left' in p) {
      const imageHeight = p['imageHeight'] as number;
      const imageWidth = p['imageWidth'] as number;
      const height = first(p, 'height');
      const width = first(p, 'width');
      return {
        index,
        label: 'random resized crop',
        applied,
        fields: [
          { name: 'top', value: first(p, 'top'), min: 0, max: imageHeight - height, step: 1 },
          { name: 'left', value: first(p, 'left'), min: 0, max: imageWidth - width, step: 1 },
          { name: 'height', value: height, min: 1, max: imageHeight, step: 1 },
          { name: 'width', value: width, min: 1, max: imageWidth, step: 1 },
        ],
        notes: [`box ${width}x${height} of ${imageWidth}x${imageHeight}`],
      };
    }
    if ('brightness' in p && 'order' in p) {
      const order = Array.from((p['order'] as Uint8Array).subarray(0, 4), (i) => JITTER_NAMES[i] ?? '?');
      return {
        index,
        label: 'colour jitter',
        applied,
        fields: [
          { name: 'brightness', value: first(p, 'brightness'), min: 0, max: 2, step: 0.01 },
          { name: 'contrast', value: first(p, 'contrast'), min: 0, max: 2, step: 0.01 },
          { name: 'saturation', value: first(p, 'saturation'), min: 0, max: 2, step: 0.01 },
          { name: 'hue', value: first(p, 'hue'), min: -0.5, max: 0.5, step: 0.01 },
        ],
        notes: [`order: ${order.join(' → ')}`],
      };
    }
    if ('sigma' in p) {
      return {
        index,
        label: 'gaussian blur',
        applied,
        fields: [{ name: 'sigma', value: first(p, 'sigma'), min: 0.1, max: 3, step: 0.05 }],
        notes: [`kernel ${String(p['kernelSize'])}`],
      };
    }
    if ('std' in p) {
      return {
        index,
        label: 'gaussian noise',
        applied,
        fields: [{ name: 'std', value: first(p, 'std'), min: 0, max: 0.5, step: 0.01 }],
        notes: [],
      };
    }
    return { index, label: appliedOnly.shift() ?? `stage ${index + 1}`, applied, fields: [], notes: [] };
  });
}

function cloneValue(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  if (Array.isArray(value)) return value.map(cloneValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneValue(v)]));
  }
  return value;
}

/** A deep copy (typed arrays copied), so edits never touch the sampled params. */
export function cloneParams(params: readonly unknown[]): unknown[] {
  return params.map(cloneValue);
}

/**
 * Sets one field of one stage for sample 0 and returns new params. A crop stays inside the image: changing
 * its size moves its corner back in when needed.
 */
export function setField(params: readonly unknown[], stage: number, field: string, value: number): unknown[] {
  const next = cloneParams(params);
  const p = next[stage] as Params | undefined;
  const values = p?.[field];
  if (p === undefined || !ArrayBuffer.isView(values)) {
    throw new Error(`setField: stage ${stage} has no per-sample field '${field}'`);
  }
  (values as unknown as number[])[0] = value;
  if ('top' in p && 'imageHeight' in p) {
    const at = (name: string) => p[name] as Int32Array;
    const imageHeight = p['imageHeight'] as number;
    const imageWidth = p['imageWidth'] as number;
    at('height')[0] = Math.max(1, Math.min(imageHeight, at('height')[0]!));
    at('width')[0] = Math.max(1, Math.min(imageWidth, at('width')[0]!));
    at('top')[0] = Math.max(0, Math.min(imageHeight - at('height')[0]!, at('top')[0]!));
    at('left')[0] = Math.max(0, Math.min(imageWidth - at('width')[0]!, at('left')[0]!));
  }
  return next;
}

/** Turns a stage on or off for sample 0 and returns new params. */
export function setApplied(params: readonly unknown[], stage: number, applied: boolean): unknown[] {
  const next = cloneParams(params);
  const p = next[stage] as Params | undefined;
  if (!(p?.['applied'] instanceof Uint8Array))
    throw new Error(`setApplied: stage ${stage} has no 'applied' flags`);
  p['applied'][0] = applied ? 1 : 0;
  return next;
}
