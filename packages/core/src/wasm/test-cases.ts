/**
 * Shared case grids for the composed-kernel tests (not exported from the package).
 *
 * @packageDocumentation
 */

import type { backend_util } from '@tensorflow/tfjs-core';

/** A conv padding as tfjs kernels take it. */
export type Pad = 'same' | 'valid' | backend_util.ExplicitPadding;

/** `'same'`, `'valid'` and an asymmetric explicit padding. */
export const PADS: readonly Pad[] = [
  'same',
  'valid',
  [
    [0, 0],
    [1, 2],
    [2, 0],
    [0, 0],
  ],
];

/** One depthwise case: input shape, square kernel size, stride, dilation, padding, channel multiplier. */
export interface DepthwiseCase {
  name: string;
  xShape: [number, number, number, number];
  k: number;
  s: number;
  d: number;
  pad: Pad;
  m: number;
}

/**
 * Strides 1, 2, 3 with dilation 1, and dilation 2 with stride 1 (tfjs allows only one of them above
 * 1), kernel sizes 1, 3, 5, the three paddings, channel multipliers 1 and 2, on a non-square batch.
 */
export function depthwiseCases(): DepthwiseCase[] {
  const cases: DepthwiseCase[] = [];
  const sd: [number, number][] = [
    [1, 1],
    [2, 1],
    [3, 1],
    [1, 2],
  ];
  for (const [s, d] of sd) {
    for (const k of [1, 3, 5]) {
      for (const pad of PADS) {
        for (const m of [1, 2]) {
          cases.push({
            name: `k${k} s${s} d${d} m${m} ${JSON.stringify(pad)}`,
            xShape: [2, 11, 8, 3],
            k,
            s,
            d,
            pad,
            m,
          });
        }
      }
    }
  }
  cases.push({
    name: 'k3 s2 same 32x32x16 batch 4',
    xShape: [4, 32, 32, 16],
    k: 3,
    s: 2,
    d: 1,
    pad: 'same',
    m: 1,
  });
  return cases;
}

/**
 * Naive Float64 reference for both depthwise backprops, with dilations (the tfjs cpu kernels ignore
 * dilations). Forward: `y[b, oh, ow, c·M + m] = Σ_{kh, kw} x[b, oh·sH − top + kh·dH, ow·sW − left + kw·dW, c] · w[kh, kw, c, m]`.
 */
export function naiveDepthwiseBackprop(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  info: {
    strideHeight: number;
    strideWidth: number;
    dilationHeight: number;
    dilationWidth: number;
    outHeight: number;
    outWidth: number;
    padInfo: { top: number; left: number };
  },
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
): { dx: Float32Array; dw: Float32Array } {
  const [B, H, W, C] = xShape;
  const [KH, KW, , M] = filterShape;
  const {
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    outHeight: OH,
    outWidth: OW,
    padInfo,
  } = info;
  const dx = new Float64Array(B * H * W * C);
  const dw = new Float64Array(KH * KW * C * M);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let kh = 0; kh < KH; kh++) {
          const h = oh * strideHeight - padInfo.top + kh * dilationHeight;
          if (h < 0 || h >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ww = ow * strideWidth - padInfo.left + kw * dilationWidth;
            if (ww < 0 || ww >= W) continue;
            for (let c = 0; c < C; c++)
              for (let m = 0; m < M; m++) {
                const g = dy[((b * OH + oh) * OW + ow) * C * M + c * M + m] ?? 0;
                const xi = ((b * H + h) * W + ww) * C + c;
                const wi = ((kh * KW + kw) * C + c) * M + m;
                dx[xi] = (dx[xi] ?? 0) + g * (w[wi] ?? 0);
                dw[wi] = (dw[wi] ?? 0) + g * (x[xi] ?? 0);
              }
          }
        }
  return { dx: Float32Array.from(dx), dw: Float32Array.from(dw) };
}
