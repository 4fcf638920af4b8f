import type { BackendInfo } from '@genoise/core';
import { h } from '../lib/dom';
import {
  BROWSER_BACKENDS,
  type BrowserBackend,
  readStudioOptions,
  type StudioOptions,
  withBackend,
} from '../lib/url-options';
import type { BackendChoice } from './choose-backend';
import './style.css';

export type PageId = 'index' | 'augment' | 'contrastive' | 'pretext' | 'geometry' | 'bench';

export const PAGE_TITLES: Record<PageId, string> = {
  index: 'Studio',
  augment: 'Augmentations',
  contrastive: 'Contrastive training',
  pretext: 'Pretext tasks',
  geometry: 'Geometry',
  bench: 'Bench',
};

/** The frame every page shares: title, navigation, the backend shown and a way to switch it. */
export interface Shell {
  readonly main: HTMLElement;
  readonly options: StudioOptions;
  /** Shows which backend runs (and a notice when it is not the one asked for). */
  showBackend(choice: Pick<BackendChoice, 'info' | 'notice' | 'fellBack'>): void;
  /** Shows an error in the page instead of leaving it blank. */
  showError(error: unknown): void;
}

/** One line about the backend: name, precision, SIMD and threads for wasm (and why one, if not isolated). */
export function describeBackend(info: BackendInfo): string {
  const parts: string[] = [info.name];
  if (info.name === 'wasm') {
    parts.push(info.simd ? 'SIMD' : 'no SIMD');
    if (info.threads !== undefined) parts.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
    // Threads need SharedArrayBuffer, which only a cross-origin isolated page has (COOP + COEP).
    if (globalThis.crossOriginIsolated !== true) parts.push('not cross-origin isolated');
  }
  if (info.adapter) parts.push(info.adapter.description + (info.adapter.isSoftware ? ' (software)' : ''));
  parts.push(`float${info.floatPrecision}`);
  return parts.join(' · ');
}

export function createShell(page: PageId, subtitle: string): Shell {
  const options = readStudioOptions(location.search);
  document.title = page === 'index' ? 'genoise studio' : `${PAGE_TITLES[page]} · genoise studio`;
  const link = (target: PageId): HTMLAnchorElement => {
    const url = new URL(`${target}.html`, location.href);
    if (options.backend !== 'auto') url.searchParams.set('backend', options.backend);
    return h(
      'a',
      { href: url.toString(), class: target === page ? 'current' : '', 'data-page': target },
      PAGE_TITLES[target],
    );
  };
  const select = h(
    'select',
    {
      id: 'backend-select',
      'aria-label': 'backend',
      onchange: () => {
        location.href = withBackend(location.href, select.value as BrowserBackend | 'auto');
      },
    },
    h('option', { value: 'auto' }, 'auto (webgpu > webgl > wasm > cpu)'),
    ...BROWSER_BACKENDS.map((b) => h('option', { value: b }, b)),
  );
  select.value = options.backend;
  const badge = h('span', { id: 'backend-name', class: 'badge pending' }, 'starting…');
  const detail = h('span', { id: 'backend-detail', class: 'detail' });
  const notice = h('div', { id: 'backend-notice', class: 'notice', role: 'status', hidden: true });
  const error = h('div', { id: 'page-error', class: 'error', role: 'alert', hidden: true });
  const main = h('main', { id: 'page' });
  const header = h(
    'header',
    {},
    h(
      'div',
      { class: 'bar' },
      h('a', { class: 'brand', href: link('index').href }, 'genoise ', h('b', {}, 'studio')),
      h('nav', {}, ...(['augment', 'contrastive', 'pretext', 'geometry', 'bench'] as const).map(link)),
      h('label', { class: 'backend' }, 'backend ', select, ' ', badge, ' ', detail),
    ),
    h('div', { class: 'titles' }, h('h1', {}, PAGE_TITLES[page]), h('p', { class: 'lede' }, subtitle)),
  );
  document.body.replaceChildren(header, notice, error, main);
  if (options.unknownBackend !== undefined) {
    notice.hidden = false;
    notice.textContent = `Unknown backend '${options.unknownBackend}'; using the automatic order.`;
  }

  const shell: Shell = {
    main,
    options,
    showBackend({ info, notice: text, fellBack }) {
      badge.textContent = info.name;
      badge.className = `badge ${info.name}`;
      badge.title = info.reason;
      detail.textContent = describeBackend(info);
      if (text !== undefined) {
        notice.hidden = false;
        notice.textContent = text;
        notice.classList.toggle('warning', fellBack);
      }
    },
    showError(e) {
      error.hidden = false;
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      error.textContent = `Something failed: ${message}`;
      console.warn(e);
    },
  };
  return shell;
}

/**
 * Builds the page's shell, starts the backend (unless the page runs its tensors in a worker) and runs
 * the page. Whatever fails is shown in the page; `body[data-ready]` tells tests the page is up.
 */
export async function mountPage(
  page: PageId,
  subtitle: string,
  run: (shell: Shell, choice: BackendChoice | undefined) => Promise<void>,
  { mainThreadBackend = true }: { mainThreadBackend?: boolean } = {},
): Promise<void> {
  const shell = createShell(page, subtitle);
  addEventListener('unhandledrejection', (event) => shell.showError(event.reason));
  addEventListener('error', (event) => shell.showError(event.error ?? event.message));
  try {
    let choice: BackendChoice | undefined;
    if (mainThreadBackend) {
      const { startBackend } = await import('./backends');
      choice = await startBackend(shell.options.backend);
      shell.showBackend(choice);
    }
    await run(shell, choice);
  } catch (error) {
    shell.showError(error);
  } finally {
    document.body.dataset['ready'] = 'true';
  }
}
