import { nativeImport } from '../../util/native-import.js';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** A vega-lite specification as plain JSON data (checked by vega-lite when compiled). */
export type VegaLiteSpec = { readonly [key: string]: unknown };

interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void };
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}

const requireHere = createRequire(import.meta.url);
/** Imports a dependency resolved from this package (not from the notebook's directory). */
async function importDependency(name: 'vega' | 'vega-lite'): Promise<unknown> {
  return nativeImport(pathToFileURL(requireHere.resolve(name)).href, () => (name === 'vega' ? import('vega') : import('vega-lite')));
}

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

// vega is ESM with top-level await, so it cannot be require()d from the CommonJS build;
// importing it on first use also keeps it off the load path of `import 'tunelab'`.
function load(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= Promise.all([importDependency('vega'), importDependency('vega-lite')]).then(([vega, vl]) => ({
    vega: vega as unknown as VegaModule,
    vl: vl as unknown as VegaLiteModule,
  }));
  return modules;
}

/**
 * Compiles vega-lite to a static SVG string in Node (renderer 'none': no canvas, no browser),
 * so plots show in nbconvert output, exported HTML and on GitHub.
 */
export async function compileSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await load();
  // A copy: vega tags the rows it is given (Symbol(vega_id)), and specs share rows with plot.data.
  const view = new vega.View(vega.parse(vl.compile(structuredClone(spec)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Shared look: white background (readable in dark notebook themes), readable fonts. */
export function baseSpec(title: string, subtitle: string, width = 640, height = 320): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start', fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555' },
    width,
    height,
    background: 'white',
    padding: 8,
    config: { font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 }, view: { stroke: '#ddd' } },
  };
}
