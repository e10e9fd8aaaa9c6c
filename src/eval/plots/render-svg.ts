import { loader, logger, parse, View, Warn } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite specification to an SVG string in Node, without a browser or a canvas:
 * Vega-Lite compiles it to Vega, and a headless Vega View (renderer "none") serialises the scene
 * with `toSVG()` (https://vega.github.io/vega/usage/#view-api-toSVG).
 *
 * Offline by construction: every spec here carries its data inline, and the view's loader refuses
 * any load, so a stray URL fails instead of reaching the network.
 * Nothing is printed (library code never prints): a Vega-Lite compile warning or a Vega runtime
 * error (such as a refused load) is thrown as an Error; Vega's runtime warnings (e.g. an empty data
 * set's infinite extent) are dropped.
 * Element ids (Vega numbers its clip paths per process) are renamed `${idPrefix}-1`, `-2`, ... in
 * order of appearance, so the same plot gives the same bytes and several plots can share one HTML
 * page without clashing ids.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  if (!/^[A-Za-z][\w-]*$/.test(idPrefix)) throw new RangeError(`renderVegaLiteSvg: idPrefix must be a simple name, got "${idPrefix}"`);
  const offline = loader();
  let refused: string | undefined;
  const refuse = (uri: string): Promise<never> => {
    refused = uri;
    return Promise.reject(new Error('csf-net plots render offline: a plot may not load data'));
  };
  offline.load = refuse;
  offline.sanitize = refuse;
  const problems: string[] = [];
  const capture = (kind: 'warn' | 'error') =>
    logger(Warn, undefined, (method, _level, args) => {
      if (method === 'error' || kind === 'warn') problems.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    });
  const compiled = compile(spec, { logger: capture('warn') }).spec;
  if (problems.length > 0) throw new Error(`renderVegaLiteSvg (${idPrefix}): Vega-Lite: ${problems.join('; ')}`);
  const view = new View(parse(compiled), { renderer: 'none', loader: offline, logger: capture('error') });
  try {
    const svg = await view.toSVG();
    if (refused !== undefined) throw new Error(`renderVegaLiteSvg (${idPrefix}): plots render offline; refused to load ${refused}`);
    if (problems.length > 0) throw new Error(`renderVegaLiteSvg (${idPrefix}): Vega: ${problems.join('; ')}`);
    return renameIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** Renames every id="..." and its references url(#...) / href="#..." to prefix-1, prefix-2, ... */
export function renameIds(svg: string, prefix: string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!map.has(m[1]!)) map.set(m[1]!, `${prefix}-${map.size + 1}`);
  }
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (all, a: string, id: string, b: string) => `${a}${map.get(id) ?? id}${b}`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (map.has(id) ? `url(#${map.get(id)!})` : all))
    .replace(/(href=")#([^"]+)(")/g, (all, a: string, id: string, b: string) => (map.has(id) ? `${a}#${map.get(id)!}${b}` : all));
}

/** Shared look of every plot. */
export const PLOT_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#888' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  title: { fontSize: 14 },
} as const;
