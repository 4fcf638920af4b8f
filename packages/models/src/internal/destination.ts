import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Where a model goes or comes from: a Node folder, or a tf.io handler (given, or found for a URL). */
export type Location =
  | { readonly kind: 'folder'; readonly folder: string }
  | { readonly kind: 'handler'; readonly handler: tf.io.IOHandler; readonly description: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

function isHandler(value: unknown): value is tf.io.IOHandler {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as tf.io.IOHandler).save === 'function' ||
      typeof (value as tf.io.IOHandler).load === 'function')
  );
}

/** Classifies `target`: a folder path (or `file://` URL), a URL with a registered tf.io router, or a handler. */
export function resolveLocation(
  target: unknown,
  mode: 'save' | 'load',
  op: string,
  argument: string,
): Location {
  if (isHandler(target)) return { kind: 'handler', handler: target, description: 'the given tf.io handler' };
  if (typeof target !== 'string' || target.length === 0) {
    throw new ArgumentError({
      op,
      argument,
      expected: "a folder path, a URL ('indexeddb://', 'localstorage://', 'http(s)://') or a tf.io.IOHandler",
      actual: JSON.stringify(target) ?? String(target),
    });
  }
  const scheme = SCHEME.exec(target)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'folder', folder: target };
  if (scheme === 'file')
    return { kind: 'folder', folder: decodeURIComponent(target.slice('file://'.length)) };
  const handlers = mode === 'save' ? tf.io.getSaveHandlers(target) : tf.io.getLoadHandlers(target);
  const handler = handlers[0];
  if (handler === undefined) {
    throw new ArgumentError({
      op,
      argument,
      message: `${op}: no tf.io ${mode} handler is registered for '${target}' in this environment ('indexeddb://' and 'localstorage://' work in browsers only); pass a folder path in Node or a tf.io.IOHandler.`,
    });
  }
  return { kind: 'handler', handler, description: `'${target}'` };
}

/** The error for a folder path given to the browser-safe `saveModel`/`loadModel`. */
export function folderNeedsNode(op: string, argument: string, folder: string): ArgumentError {
  return new ArgumentError({
    op,
    argument,
    message: `${op}: '${folder}' is a folder path, which needs Node: import { ${op} } from '@genoise/models/node' (it reads and writes folders), or pass a URL ('indexeddb://', 'http(s)://') or a tf.io.IOHandler.`,
  });
}
