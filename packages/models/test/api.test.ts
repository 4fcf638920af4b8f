import { publicApi } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import * as nodeApi from '../src/node';

// The public API, as a snapshot: an export that disappears or changes kind fails here. Update the
// snapshot deliberately (`vitest -u`) together with a changeset.
describe('@genoise/models public API', () => {
  it('exports exactly these values', () => {
    expect(publicApi(api)).toMatchSnapshot();
  });
  it('exports exactly these values from ./node', () => {
    expect(publicApi(nodeApi)).toMatchSnapshot();
  });
});
