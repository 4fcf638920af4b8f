import type { Sharp } from './load-sharp';

/** How files are decoded: the output size, channels and resize mode. */
export interface DecodeSettings {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly fit: 'cover' | 'fill';
}

/** Decodes one file to `height * width * channels` bytes, or throws. */
export async function decodeImage(sharp: Sharp, file: string, s: DecodeSettings): Promise<Uint8Array> {
  let pipeline = sharp(file, { failOn: 'error' })
    .rotate()
    .flatten({ background: '#000000' })
    .resize(s.width, s.height, { fit: s.fit });
  pipeline = s.channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== s.channels || data.length !== s.height * s.width * s.channels) {
    throw new Error(
      `decoded to ${info.width}x${info.height}x${info.channels}, expected ${s.width}x${s.height}x${s.channels}`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * Decodes every file with at most `concurrency` at once; a failure is a warning
 * `"<op>: skipped <file>: <reason>"` and `undefined`.
 */
export async function decodeImages(
  sharp: Sharp,
  files: readonly string[],
  s: DecodeSettings,
  op: string,
  onWarning: (message: string) => void,
  concurrency: number,
): Promise<(Uint8Array | undefined)[]> {
  const out: (Uint8Array | undefined)[] = new Array(files.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      try {
        out[i] = await decodeImage(sharp, file, s);
      } catch (error) {
        onWarning(`${op}: skipped ${file}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return out;
}
