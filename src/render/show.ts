import { inspect } from 'node:util';
import './notice-sink.js';
import { InvalidOptionError } from '../errors.js';
import { htmlRenderer } from './html.js';
import { Plot } from './plot/plot.js';
import { textRenderer } from './text.js';
import { toDocument } from './to-document.js';
import { findKernelTslab, type TslabDisplay } from './tslab.js';

export interface ShowOptions {
  /**
   * Where HTML and SVG go: a tslab `display` (e.g. `import { display } from 'tslab'`).
   * Default: the running tslab kernel's own display if there is one, else text on the console.
   */
  readonly display?: TslabDisplay;
  /** Force one output form; default html in tslab, text elsewhere. 'html' outside tslab prints the markup. */
  readonly format?: 'html' | 'text';
  /** Longest table before the middle rows are left out (default 40). */
  readonly maxRows?: number;
}

function checkDisplay(display: unknown): TslabDisplay {
  const d = display as Partial<TslabDisplay> | null;
  if (typeof d !== 'object' || d === null || typeof d.html !== 'function' || typeof d.svg !== 'function') {
    throw new InvalidOptionError("show(x, { display }): expected tslab's display (an object with html() and svg()), e.g. import { display } from 'tslab'");
  }
  return d as TslabDisplay;
}

/** The display to draw rich output on, or undefined for text. */
export function richDisplay(options: { readonly display?: TslabDisplay; readonly format?: 'html' | 'text' } = {}): TslabDisplay | undefined {
  if (options.format === 'text') return undefined;
  if (options.display !== undefined) return checkDisplay(options.display);
  return findKernelTslab()?.display;
}

/**
 * Shows a Study, trials, a DataFrame, a plot, or a plain object: HTML (or SVG) through tslab's
 * display in a notebook, aligned text on the console elsewhere. Anything else is printed as
 * `console.log` would.
 */
export function show(x: unknown, options: ShowOptions = {}): void {
  if (options.format !== undefined && options.format !== 'html' && options.format !== 'text') {
    throw new InvalidOptionError(`show(x, { format }): expected 'html' or 'text', got ${JSON.stringify(options.format)}`);
  }
  const display = richDisplay(options);
  if (x instanceof Plot) {
    if (display) display.svg(x.svg);
    else console.log(options.format === 'html' ? x.svg : inspect(x));
    return;
  }
  const doc = toDocument(x, options.maxRows === undefined ? {} : { maxRows: options.maxRows });
  if (doc === undefined) {
    console.log(x);
    return;
  }
  if (display) display.html(htmlRenderer.render(doc));
  else console.log((options.format === 'html' ? htmlRenderer : textRenderer).render(doc));
}
