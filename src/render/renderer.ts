import type { RenderDocument } from './table.js';

/**
 * Turns a table document into output of one MIME type. Two implementations: `htmlRenderer`
 * (tslab, exported HTML reports) and `textRenderer` (terminal, REPL, logs); both pass the
 * conformance suite in src/testing/renderer-conformance.ts.
 */
export interface Renderer {
  readonly name: string;
  readonly mimeType: 'text/html' | 'text/plain';
  render(document: RenderDocument): string;
}
