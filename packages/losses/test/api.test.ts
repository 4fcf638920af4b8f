import { describe, expect, it } from 'vitest';
import * as core from '../src/index';

// The public API, as a snapshot: an export that disappears or changes kind fails here. Update the
// snapshot deliberately (`vitest -u`) together with a changeset.
describe('@genoise/losses public API', () => {
  it('exports exactly these values', () => {
    const api = Object.fromEntries(
      Object.entries(core)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => [
          name,
          typeof value === 'function' && /^class\s/.test(Function.prototype.toString.call(value))
            ? 'class'
            : typeof value,
        ]),
    );
    expect(api).toMatchSnapshot();
  });
});
