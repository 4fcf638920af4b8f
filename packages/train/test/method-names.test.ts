import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { methodNames } from '../src/method/registry';

// Acceptance point 3 of the one-loop refactor: no method-name branches outside the method files and
// the registry. A branch is a comparison of something with a registered name as a string literal
// (`=== 'stereo'`, `'byol' !== x`), a `case 'moco':`, or `['simclr', 'moco'].includes(x)`. Data kinds
// are named apart from the methods ('stereo-pairs' data, the 'stereo' method); a comparison whose other
// side is a `kind` or a spec's `data` is a data-kind branch and allowed even if a kind shared a name.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ALLOWED = ['packages/train/src/methods/', 'packages/train/src/method/registry.ts'];
const SOURCE = /\.(ts|tsx|mts|js|mjs|svelte|vue)$/;
const DATA_KIND = /(^|[.?!])(kind|data)$/;

/** The source with comments blanked out (strings and template literals kept, so `'https://x'` stays). */
function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Method-name branches in `source`: `line: text` for each. */
function methodNameBranches(source: string, names: readonly string[]): string[] {
  const code = stripComments(source);
  const name = names.map((n) => n.replace(/[-]/g, '\\-')).join('|');
  const q = `(?<q>['"\`])(?:${name})\\k<q>`;
  const hits: { at: number; text: string }[] = [];
  const operand = String.raw`([\w$.?\]\[)]+)`;
  for (const m of code.matchAll(new RegExp(`${operand}\\s*[=!]==?\\s*${q}`, 'g')))
    if (!DATA_KIND.test(m[1]!)) hits.push({ at: m.index, text: m[0] });
  for (const m of code.matchAll(new RegExp(`${q}\\s*[=!]==?\\s*${operand}`, 'g')))
    if (!DATA_KIND.test(m[2]!)) hits.push({ at: m.index, text: m[0] });
  for (const m of code.matchAll(new RegExp(`\\bcase\\s+${q}\\s*:`, 'g'))) {
    const subject = [...code.slice(0, m.index).matchAll(/\bswitch\s*\(([^)]*)\)/g)].at(-1)?.[1]?.trim() ?? '';
    if (!DATA_KIND.test(subject)) hits.push({ at: m.index, text: m[0] });
  }
  for (const m of code.matchAll(/\[([^\]]*)\]\s*\.includes\(\s*([^)]*)\)/g)) {
    const listed = new RegExp(`${q}`).test(m[1]!);
    if (listed && !DATA_KIND.test(m[2]!.trim())) hits.push({ at: m.index, text: m[0] });
  }
  return hits
    .sort((a, b) => a.at - b.at)
    .map(({ at, text }) => `${code.slice(0, at).split('\n').length}: ${text.replace(/\s+/g, ' ')}`);
}

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const group of ['packages', 'apps']) {
    for (const pkg of await readdir(join(ROOT, group), { withFileTypes: true })) {
      if (!pkg.isDirectory()) continue;
      const src = join(ROOT, group, pkg.name, 'src');
      const entries = await readdir(src, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (!e.isFile() || !SOURCE.test(e.name) || /\.(test|spec)\.[a-z]+$/.test(e.name)) continue;
        const path = relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/');
        if (!ALLOWED.some((allowed) => path.startsWith(allowed))) files.push(path);
      }
    }
  }
  return files.sort();
}

describe('method-name branches', () => {
  const names = methodNames();

  it('finds the branches it looks for, and not comments, data kinds or other words', () => {
    const sample = [
      "if (method === 'byol') x();", // 1
      "const y = 'simclr' !== config.method.name;", // 2
      'switch (config.method.name) {',
      "  case 'moco':", // 4
      '}',
      "const z = ['stereo', 'monodepth2'].includes(name);", // 6
      "// if (method === 'moco') commented out",
      "/* case 'vicreg': */ const url = 'https://example.org/' + x;",
      "if (config.kind === 'stereo' || spec.data !== 'stereo') y();",
      "if (recipe === 'mocoV2' || name === 'simclr2') z();",
      `const label = \`\${name === "barlow-twins" ? 'BT' : ''}\`;`, // 11
      'switch (data.kind) {',
      "  case 'stereo':",
      '}',
      "if (['stereo', 'sequence'].includes(settings.kind)) w();",
      "const o = { name: 'simsiam', summary: 'x' };",
    ].join('\n');
    expect(methodNameBranches(sample, names)).toEqual([
      "1: method === 'byol'",
      "2: 'simclr' !== config.method.name",
      "4: case 'moco':",
      "6: ['stereo', 'monodepth2'].includes(name)",
      '11: name === "barlow-twins"',
    ]);
  });

  it('none in packages/*/src or apps/*/src outside the method files and the registry', async () => {
    const files = await sourceFiles();
    // The scan reaches the loop, the trainer and the studio.
    expect(files).toContain('packages/train/src/loop/fit.ts');
    expect(files.some((f) => f.startsWith('apps/trainer/src/'))).toBe(true);
    expect(files.some((f) => f.startsWith('apps/studio/src/'))).toBe(true);
    expect(files.some((f) => f.startsWith('packages/train/src/methods/'))).toBe(false);
    const found: string[] = [];
    for (const file of files) {
      for (const hit of methodNameBranches(await readFile(join(ROOT, file), 'utf8'), names))
        found.push(`${file}:${hit}`);
    }
    expect(found).toEqual([]);
  });
});
