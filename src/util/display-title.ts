/**
 * A title a plain record carries for show() (e.g. a WindowDataset's summary() shows as
 * "WindowDataset", not "Object"). A global symbol, not enumerable: the record stays plain data
 * and modules below render can set it without importing render.
 */
export const displayTitle: unique symbol = Symbol.for('tunelab.displayTitle') as never;

export function withDisplayTitle<T extends object>(record: T, title: string): T {
  Object.defineProperty(record, displayTitle, { value: title, enumerable: false, configurable: true });
  return record;
}

export function displayTitleOf(x: object): string | undefined {
  const t = (x as { [displayTitle]?: unknown })[displayTitle];
  return typeof t === 'string' ? t : undefined;
}
