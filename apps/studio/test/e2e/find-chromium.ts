import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where a browser came from, in the order {@link findChromium} looks. */
export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'playwright';

/** A Chromium the e2e tests can launch. */
export interface FoundChromium {
  readonly path: string;
  readonly source: ChromiumSource;
  /**
   * The SwiftShader Vulkan ICD shipped with that browser (next to its binary, or Debian's
   * `/usr/lib/chromium`), which gives headless WebGPU a software adapter; undefined when there is none.
   */
  readonly swiftShaderIcd: string | undefined;
}

/** What {@link findChromium} reads; the defaults are the real environment and file system (tests pass their own). */
export interface ChromiumLookup {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly exists?: (path: string) => boolean;
  /** Entries of a directory ([] when it is missing). */
  readonly list?: (dir: string) => string[];
  /** Resolves symlinks (Debian's `/usr/bin/chromium` may be one). */
  readonly realpath?: (path: string) => string;
  readonly home?: string;
  /** Where the installed playwright-core expects its own Chromium (`chromium.executablePath()`). */
  readonly playwrightExecutable?: string | undefined;
}

/** Debian's and Ubuntu's Chromium. */
export const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

/** Debian's SwiftShader ICD (package `chromium`). */
const DEBIAN_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The one line printed when there is no browser: what was tried and how to get one. */
export const NO_CHROMIUM_MESSAGE =
  'e2e skipped: no Chromium found (CHROMIUM_PATH, /usr/bin/chromium, Playwright’s cache); install one with `apt-get install chromium` or set CHROMIUM_PATH=/path/to/chromium.';

const safeList = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** Chromium binaries in Playwright's browser cache, newest revision first (`chromium-<revision>/chrome-linux64/chrome`). */
function playwrightCache(
  env: ChromiumLookup['env'],
  home: string,
  list: (dir: string) => string[],
): string[] {
  const root = env?.['PLAYWRIGHT_BROWSERS_PATH'] || join(home, '.cache', 'ms-playwright');
  const revision = (name: string) => Number(name.slice('chromium-'.length));
  return list(root)
    .filter((name) => /^chromium-\d+$/.test(name))
    .sort((a, b) => revision(b) - revision(a))
    .flatMap((name) => [
      join(root, name, 'chrome-linux64', 'chrome'),
      join(root, name, 'chrome-linux', 'chrome'),
      join(root, name, 'chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
    ]);
}

/**
 * The Chromium the e2e tests launch: `CHROMIUM_PATH` when set, else Debian's `/usr/bin/chromium` (or
 * Ubuntu's `chromium-browser`), else Playwright's own Chromium (the revision playwright-core expects,
 * then any other in its cache). Undefined when there is none, so the tests can be skipped with
 * {@link NO_CHROMIUM_MESSAGE}.
 *
 * @throws Error when `CHROMIUM_PATH` is set but names no file (a typo should not silently skip the tests)
 */
export function findChromium(lookup: ChromiumLookup = {}): FoundChromium | undefined {
  const env = lookup.env ?? process.env;
  const exists = lookup.exists ?? existsSync;
  const list = lookup.list ?? safeList;
  const realpath = lookup.realpath ?? ((path: string) => (existsSync(path) ? realpathSync(path) : path));
  const home = lookup.home ?? homedir();
  const icdFor = (path: string): string | undefined =>
    [join(dirname(realpath(path)), 'vk_swiftshader_icd.json'), DEBIAN_ICD].find(exists);
  const found = (path: string, source: ChromiumSource): FoundChromium => ({
    path,
    source,
    swiftShaderIcd: icdFor(path),
  });

  const explicit = env['CHROMIUM_PATH'];
  if (explicit !== undefined && explicit !== '') {
    if (!exists(explicit))
      throw new Error(
        `CHROMIUM_PATH is '${explicit}' but there is no file there; point it at a Chromium or Chrome executable, or unset it to use /usr/bin/chromium or Playwright's Chromium.`,
      );
    return found(explicit, 'CHROMIUM_PATH');
  }
  const system = SYSTEM_CHROMIUM.find(exists);
  if (system !== undefined) return found(system, 'system');
  const cached = [
    ...(lookup.playwrightExecutable ? [lookup.playwrightExecutable] : []),
    ...playwrightCache(env, home, list),
  ].find(exists);
  return cached === undefined ? undefined : found(cached, 'playwright');
}
