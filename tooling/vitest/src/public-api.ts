/**
 * A module's public API as `{ exportName: kind }` (kind: 'class', 'function', 'object', ...), sorted by
 * name, for a snapshot test: an export that disappears or changes kind fails the snapshot.
 *
 * @example
 * ```ts
 * import * as api from '../src/index';
 * expect(publicApi(api)).toMatchSnapshot();
 * ```
 */
export function publicApi(module: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(module)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [
        name,
        typeof value === 'function' && /^class\s/.test(Function.prototype.toString.call(value))
          ? 'class'
          : typeof value,
      ]),
  );
}
