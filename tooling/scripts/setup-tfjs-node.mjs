#!/usr/bin/env node
/**
 * Sets up `@tensorflow/tfjs-node` (TensorFlow's own CPU kernels for tfjs in Node), so that the trainer
 * and the tests can use the `tensorflow` backend. `pnpm install` runs it (the root `postinstall`); run it
 * by hand with `node tooling/scripts/setup-tfjs-node.mjs`. It always exits 0: without tfjs-node, genoise
 * trains on the `wasm` backend and this script says so in one line.
 *
 * tfjs-node's own install script downloads libtensorflow 2.9 and a prebuilt addon from Google's storage;
 * pnpm does not run it (see `ignoredBuiltDependencies` in pnpm-workspace.yaml). This script does, in order:
 *
 * 1. **Already set up?** Loads the addon in a child process; done if it loads (about 1 s).
 * 2. **Cache**: a build made earlier on this machine (same tfjs-node version, platform, Node-API
 *    version), kept in `$GENOISE_CACHE_DIR/tfjs-node` (default `~/.cache/genoise/tfjs-node`), is linked
 *    into the package (hard links: instant, no extra disk).
 * 3. **Prebuilt** (machines that reach Google's storage): checks in a few seconds that the prebuilt addon
 *    is reachable, then runs tfjs-node's own install script with a time limit.
 * 4. **Offline, from a TensorFlow wheel** (about 20-40 s): `pip download --no-deps
 *    tensorflow-cpu==2.21.0` (from pip's configured index or wheel store, e.g. a local `find-links`
 *    folder), unzips the TensorFlow C API from it (`tensorflow/libtensorflow_cc.so.2`,
 *    `tensorflow/libtensorflow_framework.so.2`, headers under `tensorflow/include/`) into the package's
 *    `deps/`, links `libtensorflow.so -> libtensorflow_cc.so.2`, and builds the addon with npm's bundled
 *    node-gyp against Node's installed headers (`npm config get nodedir`):
 *    `node-gyp rebuild --module_name=tfjs_binding --module_path=lib/napi-v8 --napi_build_version=8`.
 *    Needs python3 with pip, make and a C++ compiler (Debian `build-essential`). tfjs-node 4.22's
 *    sources build unchanged against TensorFlow 2.21; `@genoise/core` works around the one known
 *    regression (int32 `Round`, tensorflow/tensorflow#74789).
 *
 * Offline users: put a `tensorflow-cpu==2.21.0` wheel for Linux x86_64 where pip finds it
 * (`pip config set global.find-links /path/to/wheels`), or name any TensorFlow wheel (`tensorflow` or
 * `tensorflow-cpu`, 2.x) directly with `GENOISE_TFJS_NODE_WHEEL=/path/to/the.whl`, then run
 * `pnpm install` or `pnpm setup:tfjs-node` (this script with --verbose). Measured here: 18-37 s the first
 * time (pip copy, unzip, compile), under 1 s afterwards, 2 s on a fresh clone with the cache.
 *
 * Environment:
 * - `GENOISE_TFJS_NODE=skip` does nothing (the trainer then uses wasm); `=prebuilt` or `=wheel` tries
 *   only that way.
 * - `GENOISE_TFJS_NODE_WHEEL`: a TensorFlow wheel file to build from, instead of `pip download`.
 * - `GENOISE_TF_VERSION`: the `tensorflow-cpu` version to ask pip for (default 2.21.0).
 * - `GENOISE_CACHE_DIR`: the cache folder (default `$XDG_CACHE_HOME/genoise` or `~/.cache/genoise`).
 * Flags: `--force` rebuilds even if the addon loads (and falls back to the cached build if that
 * fails); `--verbose` shows the tools' output.
 *
 * The package files under node_modules/.pnpm are hard links into pnpm's store: this script only adds
 * files (deps/, lib/, build/) and replaces package.json by a copy before tfjs-node's installer edits it,
 * so the store is never written to.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = new Set(process.argv.slice(2));
const verbose = args.has('--verbose') || process.env.GENOISE_VERBOSE === '1';
const force = args.has('--force');
const mode = (process.env.GENOISE_TFJS_NODE ?? 'auto').toLowerCase();
const tfVersion = process.env.GENOISE_TF_VERSION ?? '2.21.0';
const started = Date.now();

const PREFIX = 'genoise:';
const WASM_LINE = 'training will use the wasm backend';

function say(text) {
  console.log(`${PREFIX} ${text}`);
}
function detail(text) {
  if (verbose) console.log(`${PREFIX}   ${text}`);
}
function seconds() {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

/** Runs a command; returns { ok, status, stdout, stderr }. Never throws. */
function run(command, commandArgs, options = {}) {
  detail(`$ ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: verbose && !options.capture ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  const ok = result.status === 0 && result.error === undefined;
  if (!ok && !verbose && options.showFailure !== false) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    if (tail) detail(tail);
  }
  return {
    ok,
    status: result.status,
    error: result.error,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  };
}

/** The tfjs-node package folder as the workspace resolves it, or undefined when it is not installed. */
function findPackage() {
  const seen = new Set();
  // Where @genoise/core's initBackend imports it from, and the trainer; the root first.
  for (const from of ['package.json', 'packages/core/package.json', 'apps/trainer/package.json']) {
    const file = path.join(root, from);
    if (!fs.existsSync(file)) continue;
    try {
      const pkg = createRequire(file).resolve('@tensorflow/tfjs-node/package.json');
      seen.add(fs.realpathSync(path.dirname(pkg)));
    } catch {
      // not resolvable from there
    }
  }
  if (seen.size > 1) detail(`several copies of tfjs-node resolve: ${[...seen].join(', ')}`);
  return [...seen][0];
}

/** Loads the addon alone (no tfjs) in a child process: its TensorFlow version, or undefined and why. */
function probeAddon(pkgDir) {
  // pnpm puts a package's dependencies beside it, not inside it: resolve node-pre-gyp from the package.
  let preGyp;
  try {
    preGyp = path.dirname(
      createRequire(path.join(pkgDir, 'package.json')).resolve('@mapbox/node-pre-gyp/package.json'),
    );
  } catch {
    return { version: undefined, why: '@mapbox/node-pre-gyp is missing' };
  }
  const script = `
    const binary = require(${JSON.stringify(preGyp)});
    const b = require(binary.find(${JSON.stringify(path.join(pkgDir, 'package.json'))}));
    process.stdout.write('TF_VERSION ' + b.TF_Version + '\\n');`;
  const r = run(process.execPath, ['-e', script], {
    capture: true,
    showFailure: false,
    timeout: 60_000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const m = /TF_VERSION (\S+)/.exec(r.stdout);
  if (m) return { version: m[1], why: undefined };
  const line = `${r.stderr}`.split('\n').find((l) => /Error|error:|cannot open/.test(l)) ?? 'does not load';
  return { version: undefined, why: line.trim().slice(0, 200) };
}

function napiBuildVersion() {
  // tfjs-node 4.22 ships Node-API builds 3..8 and picks the highest the running Node supports.
  return Math.min(8, Number(process.versions.napi));
}

function cacheRoot() {
  const base =
    process.env.GENOISE_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'genoise');
  return path.join(base, 'tfjs-node');
}

function cacheKey(version) {
  return `tfjs-node-${version}-${process.platform}-${process.arch}-napi${napiBuildVersion()}`;
}

/** Hard-links (or copies) a tree, keeping symbolic links as links. */
function linkTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    fs.rmSync(dst, { recursive: true, force: true });
    if (entry.isDirectory()) linkTree(src, dst);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
    else {
      try {
        fs.linkSync(src, dst);
      } catch {
        fs.copyFileSync(src, dst);
      }
    }
  }
}

/** The parts of a set-up package that make it load: deps/lib and the addon folder. */
const BUILT_PARTS = () => ['deps/lib', `lib/napi-v${napiBuildVersion()}`];

function saveToCache(pkgDir, key, source, version) {
  const dir = path.join(cacheRoot(), key);
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const part of BUILT_PARTS()) linkTree(path.join(pkgDir, part), path.join(dir, part));
    fs.writeFileSync(
      path.join(dir, 'genoise-setup.json'),
      `${JSON.stringify({ source, tensorflow: version, created: new Date().toISOString() }, null, 2)}\n`,
    );
    detail(`cached in ${dir}`);
  } catch (error) {
    detail(`could not cache the build: ${error.message}`);
  }
}

function restoreFromCache(pkgDir, key) {
  const dir = path.join(cacheRoot(), key);
  const meta = path.join(dir, 'genoise-setup.json');
  if (!fs.existsSync(meta)) return undefined;
  try {
    for (const part of BUILT_PARTS()) linkTree(path.join(dir, part), path.join(pkgDir, part));
    return JSON.parse(fs.readFileSync(meta, 'utf8')).source;
  } catch (error) {
    detail(`the cache in ${dir} could not be used: ${error.message}`);
    return undefined;
  }
}

function removeBuilt(pkgDir) {
  for (const part of ['deps', 'lib', 'build'])
    fs.rmSync(path.join(pkgDir, part), { recursive: true, force: true });
}

/** Replaces a hard-linked file by a private copy, so that writing it does not change pnpm's store. */
function unshare(file) {
  const text = fs.readFileSync(file);
  fs.rmSync(file);
  fs.writeFileSync(file, text);
}

async function reachable(url, ms) {
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(ms) });
    return res.ok;
  } catch {
    return false;
  }
}

/** tfjs-node's own installer: libtensorflow 2.9 and the prebuilt addon from Google's storage. */
async function setupPrebuilt(pkgDir, version) {
  const host = process.env.TFJS_NODE_CDN_STORAGE ?? 'https://storage.googleapis.com/';
  const addon = `${host}tf-builds/pre-built-binary/napi-v${napiBuildVersion()}/${version}/CPU-${process.platform}-${version}.tar.gz`;
  if (process.platform !== 'linux' && process.platform !== 'darwin' && process.platform !== 'win32')
    return 'no prebuilt addon for this platform';
  if (!(await reachable(addon, 5000))) return 'the prebuilt addon is not reachable';
  const pkgJson = path.join(pkgDir, 'package.json');
  const original = fs.readFileSync(pkgJson);
  unshare(pkgJson);
  // The installer runs `node-pre-gyp` from PATH, as npm would from node_modules/.bin.
  const preGypBin = path.join(
    path.dirname(createRequire(pkgJson).resolve('@mapbox/node-pre-gyp/package.json')),
    'bin',
  );
  const env = { ...process.env, PATH: `${preGypBin}${path.delimiter}${process.env.PATH ?? ''}` };
  const r = run(process.execPath, ['scripts/install.js'], { cwd: pkgDir, timeout: 300_000, env });
  fs.writeFileSync(pkgJson, original); // the installer rewrites it
  return r.ok ? undefined : `tfjs-node's installer failed${r.error ? ` (${r.error.message})` : ''}`;
}

/** The TensorFlow wheel: GENOISE_TFJS_NODE_WHEEL, or pip download into the cache. */
function findWheel() {
  const given = process.env.GENOISE_TFJS_NODE_WHEEL;
  if (given)
    return fs.existsSync(given)
      ? { wheel: given }
      : { why: `GENOISE_TFJS_NODE_WHEEL=${given} does not exist` };
  const dir = path.join(cacheRoot(), 'wheels');
  fs.mkdirSync(dir, { recursive: true });
  const python = ['python3', 'python'].find(
    (p) => run(p, ['-m', 'pip', '--version'], { showFailure: false }).ok,
  );
  if (python === undefined) return { why: 'no python3 with pip to fetch a TensorFlow wheel' };
  const base = [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '--retries',
    '1',
    '--timeout',
    '15',
    '-d',
    dir,
  ];
  const wanted = `tensorflow-cpu==${tfVersion}`;
  // The C library does not depend on the Python version: when no wheel matches this interpreter, ask
  // for one built for another CPython.
  const attempts = [[], ...['3.12', '3.11', '3.10', '3.13', '3.9'].map((v) => ['--python-version', v])];
  for (const extra of attempts) {
    const r = run(python, [...base, ...extra, wanted], { timeout: 600_000, showFailure: extra.length === 0 });
    if (r.ok) {
      const wheel = fs
        .readdirSync(dir)
        .filter((f) => f.startsWith(`tensorflow_cpu-${tfVersion}-`) && f.endsWith('.whl'))
        .map((f) => path.join(dir, f))[0];
      if (wheel) return { wheel, downloaded: true };
    }
  }
  return { why: `pip found no ${wanted} wheel` };
}

/** Unzips the C API and the headers tfjs-node includes from the wheel into deps/. */
function unpackWheel(wheel, pkgDir) {
  const deps = path.join(pkgDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  const script = `
import sys, zipfile, os, shutil
wheel, deps = sys.argv[1], sys.argv[2]
keep_lib = ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2')
inc = 'tensorflow/include/'
keep_inc = ('tensorflow/c/', 'tensorflow/core/platform/ctstring', 'tsl/platform/ctstring', 'xla/tsl/c/')
n = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith('/'):
            continue
        if name in keep_lib:
            target = os.path.join(deps, 'lib', os.path.basename(name))
        elif name.startswith(inc) and name[len(inc):].startswith(keep_inc):
            target = os.path.join(deps, 'include', name[len(inc):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        n += 1
print(n)
`;
  const r = run('python3', ['-c', script, wheel, deps], { capture: true });
  if (!r.ok) return 'could not unpack the wheel';
  const lib = path.join(deps, 'lib');
  for (const so of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!fs.existsSync(path.join(lib, so))) return `the wheel has no tensorflow/${so}`;
  }
  // binding.gyp links -ltensorflow -ltensorflow_framework.
  fs.symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so'));
  fs.symlinkSync('libtensorflow_framework.so.2', path.join(lib, 'libtensorflow_framework.so'));
  return undefined;
}

/** npm's bundled node-gyp (npm ships it; no download), else one on PATH. */
function findNodeGyp() {
  const candidates = [];
  const npm = run('npm', ['root', '-g'], { capture: true, showFailure: false });
  if (npm.ok) candidates.push(path.join(npm.stdout.trim(), 'npm/node_modules/node-gyp/bin/node-gyp.js'));
  candidates.push(
    path.join(
      path.dirname(process.execPath),
      '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ),
  );
  const found = candidates.find((c) => fs.existsSync(c));
  if (found) return [process.execPath, found];
  if (run('node-gyp', ['--version'], { capture: true, showFailure: false }).ok) return ['node-gyp'];
  return undefined;
}

/** Node's headers, installed with Node (node-gyp would otherwise download them). */
function findNodeDir() {
  const candidates = [];
  const r = run('npm', ['config', 'get', 'nodedir'], { capture: true, showFailure: false });
  const fromNpm = r.ok ? r.stdout.trim() : '';
  if (fromNpm && fromNpm !== 'undefined' && fromNpm !== 'null') candidates.push(fromNpm);
  candidates.push(path.resolve(path.dirname(process.execPath), '..'));
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'include/node/node_api.h')));
}

function setupFromWheel(pkgDir) {
  const gyp = findNodeGyp();
  if (gyp === undefined) return 'no node-gyp (it comes with npm)';
  const nodedir = findNodeDir();
  if (nodedir === undefined)
    return "no Node headers (include/node/node_api.h) next to Node or at 'npm config get nodedir'";
  for (const tool of ['make', 'c++']) {
    if (!run('sh', ['-c', `command -v ${tool}`], { capture: true, showFailure: false }).ok)
      return `no ${tool} to build the addon (Debian: apt-get install build-essential)`;
  }
  const found = findWheel();
  if (found.wheel === undefined) return found.why;
  detail(`wheel: ${found.wheel}`);
  const unpacked = unpackWheel(found.wheel, pkgDir);
  if (found.downloaded) fs.rmSync(found.wheel, { force: true }); // 270 MB; the build is cached instead
  if (unpacked !== undefined) return unpacked;
  const napi = napiBuildVersion();
  const [command, ...pre] = gyp;
  const r = run(
    command,
    [
      ...pre,
      'rebuild',
      `--nodedir=${nodedir}`,
      '--jobs=max',
      '--module_name=tfjs_binding',
      `--module_path=${path.join(pkgDir, `lib/napi-v${napi}`)}`,
      `--napi_build_version=${napi}`,
    ],
    { cwd: pkgDir, timeout: 900_000 },
  );
  // The objects are not needed at run time.
  fs.rmSync(path.join(pkgDir, 'build'), { recursive: true, force: true });
  return r.ok ? undefined : 'node-gyp could not build the addon (run with --verbose to see why)';
}

async function main() {
  if (mode === 'skip' || mode === 'off' || mode === '0') {
    say(`tfjs-node set-up skipped (GENOISE_TFJS_NODE=${mode}); ${WASM_LINE}.`);
    return;
  }
  const pkgDir = findPackage();
  if (pkgDir === undefined) {
    say(`@tensorflow/tfjs-node is not installed; ${WASM_LINE}.`);
    return;
  }
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  detail(`tfjs-node ${version} at ${pkgDir}`);

  if (!force) {
    const probe = probeAddon(pkgDir);
    if (probe.version !== undefined) {
      say(`tfjs-node ready (TensorFlow ${probe.version}), checked in ${seconds()}.`);
      return;
    }
  }
  const key = cacheKey(version);
  if (!force) {
    const source = restoreFromCache(pkgDir, key);
    if (source !== undefined) {
      const probe = probeAddon(pkgDir);
      if (probe.version !== undefined) {
        say(`tfjs-node ready (TensorFlow ${probe.version}, ${source} build from the cache) in ${seconds()}.`);
        return;
      }
      detail(`the cached build does not load: ${probe.why}`);
      removeBuilt(pkgDir);
    }
  }

  const why = [];
  const ways = [
    ['prebuilt', () => setupPrebuilt(pkgDir, version)],
    ['wheel', async () => setupFromWheel(pkgDir)],
  ].filter(([name]) => mode === 'auto' || mode === name);
  for (const [name, setup] of ways) {
    detail(`trying the ${name} way`);
    let failed;
    try {
      failed = await setup();
    } catch (error) {
      failed = error.message;
    }
    if (failed === undefined) {
      const probe = probeAddon(pkgDir);
      if (probe.version !== undefined) {
        saveToCache(pkgDir, key, name === 'wheel' ? 'TensorFlow wheel' : 'prebuilt', probe.version);
        const from = name === 'wheel' ? `built from the tensorflow-cpu wheel` : 'prebuilt';
        say(`tfjs-node ready (TensorFlow ${probe.version}, ${from}) in ${seconds()}.`);
        return;
      }
      failed = `the addon does not load: ${probe.why}`;
    }
    why.push(`${name}: ${failed}`);
    removeBuilt(pkgDir);
  }
  if (force && restoreFromCache(pkgDir, key) !== undefined) {
    const probe = probeAddon(pkgDir);
    if (probe.version !== undefined) {
      say(
        `tfjs-node could not be rebuilt (${why.join('; ')}); kept the cached build (TensorFlow ${probe.version}).`,
      );
      return;
    }
    removeBuilt(pkgDir);
  }
  say(
    `tfjs-node could not be set up (${why.join('; ')}); ${WASM_LINE}. See tooling/scripts/setup-tfjs-node.mjs.`,
  );
}

main().catch((error) => {
  say(`tfjs-node set-up failed (${error?.message ?? error}); ${WASM_LINE}.`);
});
