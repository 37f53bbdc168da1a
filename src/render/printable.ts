/**
 * User text with its control characters made visible: a parameter name or attribute holding an escape
 * sequence (ESC [2J clears a terminal, OSC 8 forges a link) or a carriage return (overwrites a line)
 * must not act on the terminal or log it is printed to. Newline and tab are left to each renderer.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, '\ufffd');
}
