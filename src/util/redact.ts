/**
 * A URL-like text with everything between `://` (or a bare `scheme:`) and its last `@` replaced
 * by `***`: the user name and password, whatever characters the password holds. A password may
 * contain `/`, `?`, `#` or `@` unencoded, so no URL grammar can say where it ends; the last `@`
 * always comes after it. Texts without an `@` there come back unchanged.
 */
export function redactUrl(text: string): string {
  const slashes = text.indexOf('://');
  const start = slashes >= 0 ? slashes + 3 : (/^[a-z][a-z0-9+.-]*:/i.exec(text)?.[0].length ?? -1);
  if (start < 0) return text;
  const at = text.lastIndexOf('@');
  if (at < start) return text;
  return `${text.slice(0, start)}***${text.slice(at)}`;
}
