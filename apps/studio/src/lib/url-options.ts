import type { BackendName } from '@genoise/core';

/** Backends a browser can run, in the automatic order. */
export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const satisfies readonly BackendName[];
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

/** What the URL asks for: `?backend=wasm`, plus page settings such as `?batch=16`. */
export interface StudioOptions {
  /** The requested backend, or `'auto'` (webgpu > webgl > wasm > cpu). */
  readonly backend: BrowserBackend | 'auto';
  /** The raw backend value when it was not a known one (shown in the notice). */
  readonly unknownBackend: string | undefined;
  readonly params: URLSearchParams;
}

/** Reads the studio's URL options. An unknown backend falls back to `'auto'` and is reported. */
export function readStudioOptions(search: string): StudioOptions {
  const params = new URLSearchParams(search);
  const raw = params.get('backend')?.trim().toLowerCase() ?? '';
  const known = (BROWSER_BACKENDS as readonly string[]).includes(raw);
  return {
    backend: known ? (raw as BrowserBackend) : 'auto',
    unknownBackend: raw === '' || raw === 'auto' || known ? undefined : raw,
    params,
  };
}

/** An integer URL setting within `[min, max]`, or the fallback when absent or not a number. */
export function intParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = params.get(name);
  const value = raw === null ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** `href` with `backend` replaced (or removed for `'auto'`), other settings kept. */
export function withBackend(href: string, backend: BrowserBackend | 'auto'): string {
  const url = new URL(href);
  if (backend === 'auto') url.searchParams.delete('backend');
  else url.searchParams.set('backend', backend);
  return url.toString();
}

/** A number URL setting within `[min, max]` (`?lr=3e-4`), or the fallback when absent or not a number. */
export function numberParam<T extends number | undefined>(
  params: URLSearchParams,
  name: string,
  fallback: T,
  min: number,
  max: number,
): number | T {
  const raw = params.get(name);
  const value = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** One of `choices` from the URL (case-insensitive), or the fallback when absent or not one of them. */
export function choiceParam<C extends string, T extends C | undefined>(
  params: URLSearchParams,
  name: string,
  choices: readonly C[],
  fallback: T,
): C | T {
  const raw = params.get(name)?.trim().toLowerCase();
  return (choices as readonly string[]).includes(raw ?? '') ? (raw as C) : fallback;
}
