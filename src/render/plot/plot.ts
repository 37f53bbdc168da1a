import { writeFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import type { VegaLiteSpec } from './compile.js';

/**
 * A finished plot: the plain data it was computed from, the vega-lite spec, and the static SVG.
 * `show(plot)` displays it (image/svg+xml in tslab); `plot.svg` is the markup.
 */
export class Plot<D = unknown> {
  readonly kind: string;
  readonly data: D;
  readonly spec: VegaLiteSpec;
  readonly svg: string;

  constructor(kind: string, data: D, spec: VegaLiteSpec, svg: string) {
    this.kind = kind;
    this.data = data;
    this.spec = spec;
    this.svg = svg;
  }

  /** Writes the SVG to a file (open it in a browser, or embed it in a report). */
  async save(path: string): Promise<void> {
    await writeFile(path, this.svg);
  }

  toString(): string {
    return this.svg;
  }

  // Short on purpose: in tslab a cell ending in `await plot.history(study)` prints this under the plot.
  [inspect.custom](): string {
    const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(this.svg);
    const dims = size ? `${Math.round(Number(size[1]))}×${Math.round(Number(size[2]))} ` : '';
    return `Plot(${this.kind}: ${dims}SVG)`;
  }
}

export function isPlot(x: unknown): x is Plot {
  return x instanceof Plot;
}
