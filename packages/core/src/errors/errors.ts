/**
 * Typed errors shared by every genoise package.
 *
 * Each carries the failing `op`, the `argument` at fault, what was `expected` and what came in
 * (`actual`), and renders them as one sentence. `isInstance` checks survive two installed copies of
 * `@genoise/core` (a `Symbol.for` marker, as vercel/ai does), where `instanceof` would not.
 *
 * @packageDocumentation
 */

const MARKER = Symbol.for('genoise.error');
const KIND_MARKER = Symbol.for('genoise.error.kind');

/** The fields every genoise error carries. */
export interface GenoiseErrorFields {
  /** The public op or function that failed, e.g. `'ssim'`. */
  readonly op: string;
  /** The argument at fault, e.g. `'x'`, or `undefined` when the failure is not tied to one. */
  readonly argument?: string | undefined;
  /** What was allowed, in words or notation, e.g. `'[B,H,W,C]'`. */
  readonly expected?: string | undefined;
  /** What came in, e.g. `'[2,32,32]'`. */
  readonly actual?: string | undefined;
  /** A complete message; when absent one is built from the other fields. */
  readonly message?: string | undefined;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

function formatMessage(kind: string, f: GenoiseErrorFields): string {
  if (f.message !== undefined) return f.message;
  const who = f.argument !== undefined ? `${f.op}: '${f.argument}'` : `${f.op}:`;
  const parts = [who];
  if (f.actual !== undefined) parts.push(`is ${f.actual}`);
  if (f.expected !== undefined)
    parts.push(`${f.actual !== undefined ? 'but' : ''} expected ${f.expected}`.trim());
  if (parts.length === 1) parts.push(kind);
  return `${parts.join(' ')}.`;
}

/**
 * Base class of all genoise errors. Use the subclasses; catch with `GenoiseError.isInstance(e)`.
 *
 * @example
 * ```ts
 * try { op(x); } catch (e) { if (ShapeError.isInstance(e)) console.log(e.op, e.argument, e.actual); }
 * ```
 */
export class GenoiseError extends Error {
  readonly [MARKER] = true;
  readonly op: string;
  readonly argument: string | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;

  constructor(fields: GenoiseErrorFields, kind = 'GenoiseError') {
    super(formatMessage(kind, fields), fields.cause !== undefined ? { cause: fields.cause } : undefined);
    this.name = kind;
    this.op = fields.op;
    this.argument = fields.argument;
    this.expected = fields.expected;
    this.actual = fields.actual;
    (this as unknown as Record<symbol, string>)[KIND_MARKER] = kind;
  }

  /** True for any genoise error, even one thrown by another installed copy of the package. */
  static isInstance(error: unknown): error is GenoiseError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

function hasKind(error: unknown, kind: string): boolean {
  return (
    GenoiseError.isInstance(error) && (error as unknown as Record<symbol, unknown>)[KIND_MARKER] === kind
  );
}

/** A tensor whose rank or sizes do not fit the op, e.g. a rank-3 image where `[B,H,W,C]` is required. */
export class ShapeError extends GenoiseError {
  constructor(fields: GenoiseErrorFields) {
    super(fields, 'ShapeError');
  }
  /** True for a `ShapeError` from any installed copy of `@genoise/core`. */
  static override isInstance(error: unknown): error is ShapeError {
    return hasKind(error, 'ShapeError');
  }
}

/** A tensor of the wrong dtype, e.g. `int32` where `float32` images are required. */
export class DTypeError extends GenoiseError {
  constructor(fields: GenoiseErrorFields) {
    super(fields, 'DTypeError');
  }
  /** True for a `DTypeError` from any installed copy of `@genoise/core`. */
  static override isInstance(error: unknown): error is DTypeError {
    return hasKind(error, 'DTypeError');
  }
}

/** A non-tensor argument out of range or of the wrong kind, e.g. a negative temperature. */
export class ArgumentError extends GenoiseError {
  constructor(fields: GenoiseErrorFields) {
    super(fields, 'ArgumentError');
  }
  /** True for an `ArgumentError` from any installed copy of `@genoise/core`. */
  static override isInstance(error: unknown): error is ArgumentError {
    return hasKind(error, 'ArgumentError');
  }
}

/** A backend that is missing, failed to initialise, or cannot run the requested op. */
export class BackendError extends GenoiseError {
  constructor(fields: GenoiseErrorFields) {
    super(fields, 'BackendError');
  }
  /** True for a `BackendError` from any installed copy of `@genoise/core`. */
  static override isInstance(error: unknown): error is BackendError {
    return hasKind(error, 'BackendError');
  }
}
