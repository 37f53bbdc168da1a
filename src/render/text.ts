import { formatCell, formatTable } from './format.js';
import { printable } from './printable.js';
import type { Renderer } from './renderer.js';
import type { Align, Block, RenderDocument, Summary, Table } from './table.js';

// Terminal width is not known in a REPL pipe or a log; long cells are cut so a row stays on one line.
const MAX_CELL = 40;

/** User text on one line, control characters made visible. */
function oneLine(text: string): string {
  return printable(text.replace(/[\r\n\t]+/g, ' '));
}

function clip(text: string): string {
  const line = oneLine(text);
  return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
}

function pad(text: string, width: number, align: Align): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

function tableText(table: Table): string {
  const formatted = formatTable(table);
  const header = table.columns.map((c, j) => clip(c.group === undefined ? (formatted.labels[j] ?? c.label) : `${c.group}.${formatted.labels[j] ?? c.label}`));
  const rows = formatted.cells.map((row) => row.map(clip));
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((text, j) => pad(text, widths[j] ?? 0, table.columns[j]?.align ?? 'left')).join('  ').trimEnd();
  const out: string[] = [];
  if (table.title !== undefined) out.push(printable(table.title));
  out.push(line(header), widths.map((w) => '─'.repeat(w)).join('  '));
  rows.forEach((r, i) => {
    if (table.omitted && i === table.omitted.at) out.push(`… ${table.omitted.count} more rows …`);
    out.push(line(r));
  });
  if (table.note !== undefined) out.push(printable(table.note));
  return out.join('\n');
}

function summaryText(summary: Summary): string {
  const labels = summary.items.map((i) => oneLine(i.label));
  const width = Math.max(0, ...labels.map((l) => l.length));
  return [printable(summary.title), ...summary.items.map((i, k) => `  ${(labels[k] ?? '').padEnd(width)}  ${oneLine(formatCell(i.cell))}`)].join('\n');
}

function blockText(block: Block): string {
  return block.kind === 'table' ? tableText(block) : summaryText(block);
}

export const textRenderer: Renderer = {
  name: 'text',
  mimeType: 'text/plain',
  render(document: RenderDocument): string {
    return document.blocks.map(blockText).join('\n\n');
  },
};
