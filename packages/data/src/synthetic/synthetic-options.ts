/**
 * Options shared by {@link syntheticSequence}, {@link syntheticStereo} and {@link syntheticFlow}.
 */
export interface SyntheticViewOptions {
  /** Image height in pixels, an integer in [1, 4096]. Required. */
  readonly height: number;
  /** Image width in pixels, an integer in [1, 4096]. Required. */
  readonly width: number;
  /** Horizontal field of view in degrees, in (0, 170]; `K` comes from {@link intrinsicsFromFov}. Default `80`. */
  readonly fovDegrees?: number;
  /** Supersampling, `samples x samples` rays per pixel, an integer in [1, 8]. Default `2`. */
  readonly samples?: number;
  /** Boxes and spheres in the scene, an integer in [0, 64]. Default `8`. */
  readonly objects?: number;
  /** Multiplies every texture frequency, > 0 (higher is harder to match, and aliases sooner). Default `1`. */
  readonly textureFrequency?: number;
}
