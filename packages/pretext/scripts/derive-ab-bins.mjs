// Derives the in-gamut ab bins of @genoise/pretext's colorization (src/colorization/ab-bins-data.ts):
// node scripts/derive-ab-bins.mjs rewrites it. About 5 s.
import { writeFileSync } from 'node:fs';

const M = [
  [0.412453, 0.35758, 0.180423],
  [0.212671, 0.71516, 0.072169],
  [0.019334, 0.119193, 0.950227],
];
const WH = [0.95047, 1, 1.08883];
const lin = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  lin[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
const f = (t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
function run(step) {
  const bins = new Map();
  const t = performance.now();
  for (let r = 0; r < 256; r += step)
    for (let g = 0; g < 256; g += step)
      for (let b = 0; b < 256; b += step) {
        const R = lin[r],
          G = lin[g],
          B = lin[b];
        const X = (M[0][0] * R + M[0][1] * G + M[0][2] * B) / WH[0],
          Y = M[1][0] * R + M[1][1] * G + M[1][2] * B,
          Z = (M[2][0] * R + M[2][1] * G + M[2][2] * B) / WH[2];
        const fy = f(Y);
        const A = 500 * (f(X) - fy),
          Bb = 200 * (fy - f(Z));
        const k = Math.round(A / 10) * 100 + Math.round(Bb / 10);
        bins.set(k, (bins.get(k) ?? 0) + 1);
      }
  return [bins, performance.now() - t];
}
const [bins] = run(1);
const keys = [...bins.keys()]
  .map((k) => {
    const a = Math.round(k / 100);
    return [a, k - a * 100];
  })
  .sort((p, q) => p[0] - q[0] || p[1] - q[1]);
const lines = [];
for (let i = 0; i < keys.length; i += 10)
  lines.push(
    '  ' +
      keys
        .slice(i, i + 10)
        .map(([a, b]) => `${a * 10}, ${b * 10},`)
        .join(' '),
  );
writeFileSync(
  new URL('../src/colorization/ab-bins-data.ts', import.meta.url),
  `// Generated: every 8-bit sRGB colour (2^24) converted to CIE Lab (rgbToLab's formulas, D65, in float64) and its
// (a, b) rounded to the nearest multiple of 10; these are the ${keys.length} bin centres hit, sorted by a then b.
// Sampling every third level per channel (86^3 colours) hits the same ${keys.length} bins (tested); every fifth, 260.
/** The in-gamut ab bin centres, flattened (a0, b0, a1, b1, ...), grid 10. */
export const AB_BIN_CENTRES: readonly number[] = [
${lines.join('\n')}
];
`,
);
