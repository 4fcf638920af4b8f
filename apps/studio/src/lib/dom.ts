import { linePath } from './charts';

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/** Creates an element: `h('button', { class: 'x', onclick: fn }, 'text')`. Keys starting with `on` are listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A canvas of `width` x `height` pixels, shown `zoom` times larger with crisp pixels. */
export function pixelCanvas(width: number, height: number, zoom: number, label?: string): HTMLCanvasElement {
  const canvas = h('canvas', { width, height, class: 'pixels', ...(label ? { 'aria-label': label } : {}) });
  canvas.style.width = `${width * zoom}px`;
  canvas.style.height = `${height * zoom}px`;
  return canvas;
}

/** Draws RGBA bytes into a canvas, resizing its pixel grid to fit. */
export function paint(
  canvas: HTMLCanvasElement,
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
}

/** A read-out: a big number (`value` until set) over its label; returns the box and the number's element. */
export function metric(id: string, label: string, value = '–'): [HTMLElement, HTMLElement] {
  const el = h('div', { class: 'metric', id }, value);
  return [h('div', {}, el, h('div', { class: 'metric-label' }, label)), el];
}

/** A titled pixel canvas (`width` x `height`, shown `zoom` times larger) with a caption under it. */
export function canvasFigure(
  id: string,
  title: string,
  caption: string,
  width: number,
  height: number,
  zoom: number,
): { canvas: HTMLCanvasElement; note: HTMLSpanElement; element: HTMLDivElement } {
  const canvas = pixelCanvas(width, height, zoom, title);
  canvas.id = id;
  const note = h('span', { class: 'caption' }, caption);
  return { canvas, note, element: h('div', { class: 'figure' }, h('h3', {}, title), canvas, note) };
}

const SVG = 'http://www.w3.org/2000/svg';

/** A loss curve: an SVG of `width` x `height` whose line {@link linePath} draws (smoothed, 0.6). */
export function lossChart(
  id: string,
  width: number,
  height: number,
): { svg: SVGSVGElement; draw(values: readonly number[]): void } {
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', '#d9480f');
  path.setAttribute('stroke-width', '1.5');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('id', id);
  svg.append(path);
  return { svg, draw: (values) => path.setAttribute('d', linePath(values, width, height, 0.6)) };
}
