/** Result of one representation under the probes, as printed in the table. */
export interface EvalRow {
  readonly name: string;
  readonly featureDim: number;
  readonly knnTop1: number | undefined;
  readonly linearTop1: number | undefined;
}

export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** Rows as an aligned text table: the first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** `0.8123` -> `81.2%`; undefined -> `—`. */
export const pct = (x: number | undefined): string => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** The representation table: kNN and linear-probe top-1 per representation. */
export function formatRepresentationTable(rows: readonly EvalRow[]): string {
  return formatTable(
    ['representation', 'dim', 'kNN top-1', 'linear top-1'],
    rows.map((r) => [r.name, String(r.featureDim), pct(r.knnTop1), pct(r.linearTop1)]),
  );
}

/** A table as HTML. */
export function tableHtml(header: readonly string[], body: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[], tag: string) =>
    `<tr>${cells.map((c) => `<${tag}>${escapeXml(c)}</${tag}>`).join('')}</tr>`;
  return `<table>${row(header, 'th')}${body.map((b) => row(b, 'td')).join('')}</table>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An SVG line chart of `(x, y)` points with min/max axis labels. */
export function lineChartSvg(
  points: readonly (readonly [number, number])[],
  { width = 560, height = 240, title = '' } = {},
): string {
  const pad = 40;
  if (points.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>`;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number): number => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (y: number): number => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${width / 2}" y="14" text-anchor="middle">${escapeXml(title)}</text>`,
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>`,
    `<text x="${pad}" y="${height - pad + 14}" text-anchor="middle">${x0}</text>`,
    `<text x="${width - pad}" y="${height - pad + 14}" text-anchor="middle">${x1}</text>`,
    `<text x="${pad - 4}" y="${sy(y0)}" text-anchor="end">${y0.toFixed(3)}</text>`,
    `<text x="${pad - 4}" y="${sy(y1) + 4}" text-anchor="end">${y1.toFixed(3)}</text>`,
    `<path d="${path}" fill="none" stroke="${PALETTE[0]}" stroke-width="1.5"/>`,
    '</svg>',
  ].join('');
}

/** An SVG scatter plot of 2-D points coloured by class, with a legend. */
export function scatterSvg(
  points: Float32Array | readonly number[],
  labels: ArrayLike<number>,
  classNames: readonly string[],
  { width = 560, height = 420, title = '' } = {},
): string {
  const n = labels.length;
  const pad = 20;
  const legend = 130;
  let [x0, x1, y0, y1] = [
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
  }
  const sx = (x: number): number => pad + ((x - x0) / (x1 - x0 || 1)) * (width - legend - 2 * pad);
  const sy = (y: number): number => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const dots: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = PALETTE[labels[i]! % PALETTE.length];
    dots.push(
      `<circle cx="${sx(points[2 * i]!).toFixed(1)}" cy="${sy(points[2 * i + 1]!).toFixed(1)}" r="1.8" fill="${c}" fill-opacity="0.7"/>`,
    );
  }
  const keys = classNames.map(
    (name, i) =>
      `<rect x="${width - legend + 6}" y="${24 + i * 16}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${width - legend + 22}" y="${33 + i * 16}">${escapeXml(name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${(width - legend) / 2}" y="14" text-anchor="middle">${escapeXml(title)}</text>`,
    ...dots,
    ...keys,
    '</svg>',
  ].join('');
}

/** One self-contained HTML page: a title, summary paragraphs and sections (each a heading and HTML). */
export function reportHtml({
  title,
  summary,
  sections,
}: {
  title: string;
  summary: readonly string[];
  sections: readonly { readonly heading?: string; readonly html: string }[];
}): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:sans-serif;max-width:1400px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{padding:4px 12px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}.plots{display:flex;flex-wrap:wrap;gap:16px}.row{display:flex;gap:6px;align-items:center;margin:4px 0}.caption{width:180px;font-size:13px}img{width:288px;image-rendering:pixelated}</style>
</head><body><h1>${escapeXml(title)}</h1>${summary.map((s) => `<p>${escapeXml(s)}</p>`).join('')}
${sections.map((s) => `${s.heading ? `<h2>${escapeXml(s.heading)}</h2>` : ''}${s.html}`).join('\n')}</body></html>`;
}
