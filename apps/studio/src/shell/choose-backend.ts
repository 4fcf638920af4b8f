import type { BackendInfo } from '@genoise/core';
import type { BrowserBackend } from '../lib/url-options';

/** The backend that runs, and a notice to show when it is not the one asked for. */
export interface BackendChoice {
  readonly info: BackendInfo;
  readonly requested: BrowserBackend | 'auto';
  /** Set when the requested backend failed and another one runs instead, or when the automatic order skipped some. */
  readonly notice: string | undefined;
  /** True when the requested backend could not start. */
  readonly fellBack: boolean;
}

type Init = (options?: { prefer: BrowserBackend }) => Promise<BackendInfo>;

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.replace(/^initBackend: /, '');
}

function skipped(info: BackendInfo): string {
  return info.tried.map((t) => `${t.name} (${t.error})`).join(', ');
}

/**
 * Tries the requested backend; if it cannot start, falls back to the automatic order (webgpu > webgl >
 * wasm > cpu) and says so. Throws only when no backend at all can start.
 */
export async function chooseBackend(requested: BrowserBackend | 'auto', init: Init): Promise<BackendChoice> {
  if (requested === 'auto') {
    const info = await init();
    const notice = info.tried.length > 0 ? `Running on ${info.name}; skipped ${skipped(info)}.` : undefined;
    return { info, requested, notice, fellBack: false };
  }
  try {
    const info = await init({ prefer: requested });
    return { info, requested, notice: undefined, fellBack: false };
  } catch (error) {
    const info = await init();
    return {
      info,
      requested,
      notice: `${requested} could not start: ${firstLine(error)} Running on ${info.name} instead.`,
      fellBack: true,
    };
  }
}
