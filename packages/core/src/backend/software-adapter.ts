/**
 * Whether a WebGPU adapter is a software rasteriser. Browser-safe (no Node APIs), so the main entry
 * can export it; the Node-only Dawn path (`@genoise/core/node`) uses it too.
 *
 * @packageDocumentation
 */

const SOFTWARE_PATTERNS: readonly RegExp[] = [
  /swiftshader/i, // Google's CPU Vulkan (Chromium's WebGPU fallback adapter)
  /llvmpipe/i, // Mesa's CPU OpenGL driver; Mesa's lavapipe Vulkan reports "llvmpipe" too
  /lavapipe/i,
  /softpipe/i,
  /\bswrast\b/i,
  /software (rasterizer|renderer)/i,
  /microsoft basic render/i, // WARP on Windows
];

/**
 * Tells whether a WebGPU adapter is a software (CPU) implementation rather than a GPU.
 *
 * True when any field names SwiftShader, llvmpipe, lavapipe, softpipe, swrast, a "software
 * rasterizer/renderer" or Microsoft's Basic Render Driver, when `vendor`, `architecture` or `device`
 * is the word `cpu`, or when `isFallbackAdapter` is true. Real drivers that merely mention LLVM or
 * Mesa (RadeonSI: `'AMD Radeon RX 6800 (navi21, LLVM 15.0.6, ...)'`, `'Mesa Intel(R) UHD Graphics'`)
 * are not software.
 *
 * @param info - The adapter's identifying strings, as in `GPUAdapter.info`; missing fields count as
 *   empty.
 * @returns `true` for a software adapter.
 * @example
 * ```ts
 * isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }); // true
 * isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA: 550.54.15' }); // false
 * ```
 */
export function isSoftwareAdapter(info: {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}): boolean {
  if (info.isFallbackAdapter === true) return true;
  const fields = [info.vendor, info.architecture, info.device, info.description].map((s) => s ?? '');
  if (fields.slice(0, 3).some((s) => s.trim().toLowerCase() === 'cpu')) return true;
  const text = fields.join(' ');
  return SOFTWARE_PATTERNS.some((re) => re.test(text));
}
