import { writeFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { findKernelTslab } from '../tslab.js';
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
  #shownInline = false;

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

  /** @internal The plot was drawn in the notebook cell that made it. */
  markShownInline(): void {
    this.#shownInline = true;
  }

  [inspect.custom](): string {
    // A tslab cell ending in `await plot.history(study)` prints its value with console.log; the
    // plot is already drawn above, so print nothing at all (not even console.log's newline).
    if (this.#shownInline && findKernelTslab() !== undefined) {
      dropNextNewline();
      return '';
    }
    const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(this.svg);
    const dims = size ? `${Math.round(Number(size[1]))}×${Math.round(Number(size[2]))} ` : '';
    return `Plot(${this.kind}: ${dims}SVG; await p.save('${this.kind}.svg') writes it, show(p) draws it in a notebook)`;
  }
}

/**
 * Swallows the bare newline console.log writes right after formatting an empty string. Restored at
 * the first write or at the end of the current synchronous run, whichever comes first.
 */
function dropNextNewline(): void {
  const stdout = process.stdout;
  const original = stdout.write;
  let done = false;
  const restore = (): void => {
    if (done) return;
    done = true;
    if (stdout.write === patched) stdout.write = original;
  };
  const patched = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    restore();
    if (chunk === '\n') return true;
    return (original as (...args: unknown[]) => boolean).call(stdout, chunk, ...rest);
  } as typeof stdout.write;
  stdout.write = patched;
  queueMicrotask(restore);
}

export function isPlot(x: unknown): x is Plot {
  return x instanceof Plot;
}
