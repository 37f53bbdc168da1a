import { formatCell, formatTable } from './format.js';
import { printable } from './printable.js';
import type { Renderer } from './renderer.js';
import type { Block, Cell, Column, RenderDocument, Summary, Table } from './table.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Every piece of user data passes through here: a categorical choice may hold markup, and a control
 * character would act on a terminal when the HTML is printed (show with format 'html').
 */
export function escapeHtml(text: string): string {
  return printable(text).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

// Inline styles only: notebook front-ends, nbconvert output and GitHub strip <style> or scope it differently.
// Stryker disable StringLiteral,ObjectLiteral: presentation only (looked at in the executed notebooks), no test can say a colour is right
const TABLE_STYLE = 'border-collapse:collapse;font-size:12px;font-variant-numeric:tabular-nums;margin:4px 0 12px 0';
const CELL_STYLE = 'padding:2px 8px;border-bottom:1px solid #e0e0e0;white-space:nowrap';
const HEAD_STYLE = 'padding:2px 8px;border-bottom:2px solid #999;font-weight:600;white-space:nowrap';
const STATE_COLORS: Record<string, string> = { COMPLETE: '#1a7f37', PRUNED: '#9a6700', FAIL: '#cf222e', RUNNING: '#0969da', WAITING: '#6e7781' };
// Stryker restore StringLiteral,ObjectLiteral

function cellHtml(cell: Cell, align: string, tag: 'td' | 'th' = 'td', shown = formatCell(cell)): string {
  const text = escapeHtml(shown);
  const color = cell.kind === 'state' ? `;color:${STATE_COLORS[cell.value] ?? 'inherit'}` : '';
  const full = cell.kind === 'number' ? ` title="${escapeHtml(String(cell.value))}"` : '';
  return `<${tag} style="${CELL_STYLE};text-align:${align}${color}"${full}>${text}</${tag}>`;
}

function headerRows(columns: readonly Column[], labels: readonly string[]): string {
  const hasGroups = columns.some((c) => c.group !== undefined);
  let groups = '';
  if (hasGroups) {
    const spans: { group: string; span: number }[] = [];
    for (const c of columns) {
      const g = c.group ?? '';
      const last = spans[spans.length - 1];
      if (last && last.group === g) last.span++;
      else spans.push({ group: g, span: 1 });
    }
    groups = `<tr>${spans.map((s) => `<th colspan="${s.span}" style="${HEAD_STYLE.replace('2px solid #999', '1px solid #ccc')};text-align:center">${escapeHtml(s.group)}</th>`).join('')}</tr>`;
  }
  return `${groups}<tr>${columns.map((c, j) => `<th style="${HEAD_STYLE};text-align:${c.align}">${escapeHtml(labels[j] ?? c.label)}</th>`).join('')}</tr>`;
}

function tableHtml(table: Table): string {
  const formatted = formatTable(table);
  const body: string[] = [];
  table.rows.forEach((row, i) => {
    if (table.omitted && i === table.omitted.at) {
      body.push(`<tr><td colspan="${table.columns.length}" style="${CELL_STYLE};text-align:center;color:#6e7781">… ${table.omitted.count} more rows …</td></tr>`);
    }
    body.push(`<tr>${row.map((cell, j) => cellHtml(cell, table.columns[j]?.align ?? 'left', 'td', formatted.cells[i]?.[j])).join('')}</tr>`);
  });
  const title = table.title === undefined ? '' : `<caption style="text-align:left;font-weight:600;padding:4px 0">${escapeHtml(table.title)}</caption>`;
  const note = table.note === undefined ? '' : `<div style="font-size:11px;color:#6e7781">${escapeHtml(table.note)}</div>`;
  return `<table class="tunelab" style="${TABLE_STYLE}">${title}<thead>${headerRows(table.columns, formatted.labels)}</thead><tbody>${body.join('')}</tbody></table>${note}`;
}

function summaryHtml(summary: Summary): string {
  const rows = summary.items
    .map((item) => `<tr><th style="${CELL_STYLE};text-align:left;font-weight:600">${escapeHtml(item.label)}</th>${cellHtml(item.cell, 'left')}</tr>`)
    .join('');
  return `<table class="tunelab-summary" style="${TABLE_STYLE}"><caption style="text-align:left;font-weight:600;font-size:14px;padding:4px 0">${escapeHtml(summary.title)}</caption><tbody>${rows}</tbody></table>`;
}

function blockHtml(block: Block): string {
  return block.kind === 'table' ? tableHtml(block) : summaryHtml(block);
}

export const htmlRenderer: Renderer = {
  name: 'html',
  mimeType: 'text/html',
  render(document: RenderDocument): string {
    return `<div class="tunelab-output">${document.blocks.map(blockHtml).join('')}</div>`;
  },
};
