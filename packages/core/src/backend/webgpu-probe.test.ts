import { testBackend } from '@genoise/vitest/setup';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSoftwareAdapter } from './software-adapter';
import { probeNodeWebGPU } from './webgpu-probe';

// Backend-independent (it looks at Dawn, not at tfjs): once, in the cpu project.
describe.runIf(testBackend() === 'cpu')('probeNodeWebGPU', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("asks Dawn's Vulkan and OpenGL ES backends in a child process, keeping Dawn's messages off this stderr", async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const probe = await probeNodeWebGPU({ timeoutMs: 60_000 });
    expect(stderr).not.toHaveBeenCalled();
    expect(probe.results.map((r) => r.dawnBackend)).toEqual(['vulkan', 'opengles']);
    for (const r of probe.results) {
      if (r.adapter === undefined) {
        expect(r.error).toMatch(/.+/);
        expect(r.isSoftware).toBe(false);
      } else {
        expect(r.error).toBeUndefined();
        expect(r.isSoftware).toBe(isSoftwareAdapter(r.adapter));
      }
    }
    expect(typeof probe.stderr).toBe('string');
  });
});
