import { setNoticeSink } from '../util/notices.js';
import { escapeHtml } from './html.js';
import { findKernelTslab } from './tslab.js';

// In a tslab kernel a notice is a small grey line in the cell's output: stderr would be red
// (and read as an error), stdout would mix with what the cell prints. Elsewhere: stderr.
setNoticeSink((text) => {
  const kernel = findKernelTslab();
  if (kernel === undefined) return false;
  kernel.display.html(`<div style="color:#6e7781;font-size:11px">${escapeHtml(text)}</div>`);
  return true;
});
