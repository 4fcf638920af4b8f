import { publicApi } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import * as nodeApi from '../src/node/index';

// The public API, as a snapshot: an export that disappears or changes kind fails here. Update the
// snapshot deliberately (`vitest -u`) together with a changeset.
describe('@genoise/train public API', () => {
  it('exports exactly these values', () => {
    expect(publicApi(api)).toMatchSnapshot();
  });
});

describe('@genoise/train/node public API', () => {
  it('exports exactly these values', () => {
    expect(publicApi(nodeApi)).toMatchSnapshot();
  });

  it('shares nothing with the main entry (Node-only code lives only here)', () => {
    expect(Object.keys(nodeApi).filter((name) => name in api)).toEqual([]);
  });
});
