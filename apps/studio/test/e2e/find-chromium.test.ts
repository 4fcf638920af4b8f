import { describe, expect, test } from 'vitest';
import { type ChromiumLookup, findChromium, NO_CHROMIUM_MESSAGE } from './find-chromium';

/** A lookup over a fake file system holding exactly `files` (directories listed from their paths). */
function machine(files: string[], env: Record<string, string> = {}, extra: Partial<ChromiumLookup> = {}) {
  const set = new Set(files);
  return {
    env,
    home: '/home/u',
    exists: (path: string) => set.has(path),
    list: (dir: string) => [
      ...new Set(
        files.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0]!),
      ),
    ],
    realpath: (path: string) => path,
    ...extra,
  } satisfies ChromiumLookup;
}

const DEBIAN = ['/usr/bin/chromium', '/usr/lib/chromium/vk_swiftshader_icd.json'];
const CACHE = '/home/u/.cache/ms-playwright';

describe('findChromium', () => {
  test('a fresh machine has none: undefined, and the message says how to get one', () => {
    expect(findChromium(machine([]))).toBeUndefined();
    expect(NO_CHROMIUM_MESSAGE).toContain('apt-get install chromium');
    expect(NO_CHROMIUM_MESSAGE).toContain('CHROMIUM_PATH');
    expect(NO_CHROMIUM_MESSAGE.split('\n')).toHaveLength(1);
  });

  test("Debian's Chromium, with Debian's SwiftShader ICD", () => {
    expect(findChromium(machine(DEBIAN))).toEqual({
      path: '/usr/bin/chromium',
      source: 'system',
      swiftShaderIcd: '/usr/lib/chromium/vk_swiftshader_icd.json',
    });
    expect(findChromium(machine(['/usr/bin/chromium-browser']))).toEqual({
      path: '/usr/bin/chromium-browser',
      source: 'system',
      swiftShaderIcd: undefined,
    });
  });

  test('CHROMIUM_PATH comes first; set to a missing file it is an error, not a silent skip', () => {
    const chrome = '/opt/chrome/chrome';
    const found = findChromium(
      machine([...DEBIAN, chrome, '/opt/chrome/vk_swiftshader_icd.json'], { CHROMIUM_PATH: chrome }),
    );
    expect(found).toEqual({
      path: chrome,
      source: 'CHROMIUM_PATH',
      swiftShaderIcd: '/opt/chrome/vk_swiftshader_icd.json',
    });
    expect(() => findChromium(machine(DEBIAN, { CHROMIUM_PATH: '/nope/chrome' }))).toThrow(
      "CHROMIUM_PATH is '/nope/chrome' but there is no file there",
    );
    // Empty means unset.
    expect(findChromium(machine(DEBIAN, { CHROMIUM_PATH: '' }))?.source).toBe('system');
  });

  test("Playwright's Chromium: the revision playwright-core expects, else the newest in its cache", () => {
    const expected = `${CACHE}/chromium-1255/chrome-linux64/chrome`;
    const older = `${CACHE}/chromium-1100/chrome-linux/chrome`;
    const newer = `${CACHE}/chromium-1300/chrome-linux64/chrome`;
    const icd = `${CACHE}/chromium-1300/chrome-linux64/vk_swiftshader_icd.json`;
    expect(findChromium(machine([older, newer, expected], {}, { playwrightExecutable: expected }))).toEqual({
      path: expected,
      source: 'playwright',
      swiftShaderIcd: undefined,
    });
    expect(findChromium(machine([older, newer, icd], {}, { playwrightExecutable: expected }))).toEqual({
      path: newer,
      source: 'playwright',
      swiftShaderIcd: icd,
    });
    expect(findChromium(machine([older]))?.path).toBe(older);
    // PLAYWRIGHT_BROWSERS_PATH moves the cache; the system browser still comes first.
    const moved = '/srv/pw/chromium-1200/chrome-linux64/chrome';
    expect(findChromium(machine([moved], { PLAYWRIGHT_BROWSERS_PATH: '/srv/pw' }))?.path).toBe(moved);
    expect(findChromium(machine([...DEBIAN, newer]))?.source).toBe('system');
  });

  test('finds the real ICD beside a symlinked binary', () => {
    const lookup = machine(
      ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/lib/chromium/vk_swiftshader_icd.json'],
      {},
      {
        realpath: (path: string) => (path === '/usr/bin/chromium' ? '/usr/lib/chromium/chromium' : path),
      },
    );
    expect(findChromium(lookup)?.swiftShaderIcd).toBe('/usr/lib/chromium/vk_swiftshader_icd.json');
  });
});
