import type { DepthMetrics } from '@genoise/eval';

/** One row of the depth table: a predictor and its metrics. */
export interface GeometryRow {
  readonly name: string;
  readonly metrics: DepthMetrics;
}

const COLUMNS = [
  ['abs_rel', 'absRel'],
  ['sq_rel', 'sqRel'],
  ['rmse', 'rmse'],
  ['rmse_log', 'rmseLog'],
  ['a1', 'a1'],
  ['a2', 'a2'],
  ['a3', 'a3'],
] as const;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The depth metrics as an aligned text table (errors: lower is better; a1-a3: higher is better). */
export function formatDepthTable(rows: readonly GeometryRow[]): string {
  const header = ['depth predictor', ...COLUMNS.map(([label]) => label)];
  const body = rows.map((r) => [r.name, ...COLUMNS.map(([, key]) => r.metrics[key].toFixed(3))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** A self-contained HTML report: the metrics table, the loss curve and depth maps beside ground truth. */
export function geometryReportHtml({
  title,
  summary,
  rows,
  lossSvg,
  pictures,
}: {
  title: string;
  summary: readonly string[];
  rows: readonly GeometryRow[];
  lossSvg: string;
  /** Rows of PNG data URIs with a caption (input, ground truth, predictions). */
  pictures: readonly { caption: string; uris: readonly string[] }[];
}): string {
  const head = `<tr><th>depth predictor</th>${COLUMNS.map(([label]) => `<th>${label}</th>`).join('')}</tr>`;
  const tr = rows
    .map(
      (r) =>
        `<tr><td>${escapeXml(r.name)}</td>${COLUMNS.map(([, key]) => `<td>${r.metrics[key].toFixed(3)}</td>`).join('')}</tr>`,
    )
    .join('');
  const figures = pictures
    .map(
      (p) =>
        `<div class="row"><div class="caption">${escapeXml(p.caption)}</div>${p.uris.map((u) => `<img src="${u}" alt="${escapeXml(p.caption)}">`).join('')}</div>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:sans-serif;max-width:1400px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{padding:4px 12px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}.row{display:flex;gap:6px;align-items:center;margin:4px 0}.caption{width:180px;font-size:13px}img{width:288px;image-rendering:pixelated}</style>
</head><body><h1>${escapeXml(title)}</h1>${summary.map((s) => `<p>${escapeXml(s)}</p>`).join('')}
${rows.length > 0 ? `<table>${head}${tr}</table><p>abs_rel, sq_rel, rmse, rmse_log: lower is better; a1-a3: higher is better.</p>` : ''}
<h2>Training loss</h2>${lossSvg}<h2>Disparity (bright is near)</h2>${figures}</body></html>`;
}
