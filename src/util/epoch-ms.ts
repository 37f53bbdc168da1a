// A name that says time (timestamp, datetime_start, date, open_time; not duration or time_ms).
const TIME_LABEL = /(^|[ _])(timestamp|datetime|date|time)([ _]|$)|^(datetime|timestamp)_|_at$/i;
const MS_1973 = 1e11;
const MS_2286 = 1e13;

/** Whole milliseconds since the epoch (1973–2286) under a name that says time: drawn as dates. */
export function isEpochMsColumn(label: string, values: readonly number[]): boolean {
  return TIME_LABEL.test(label) && !/duration|\(ms\)|_ms$/i.test(label) && values.length > 0 && values.every((v) => Number.isInteger(v) && v >= MS_1973 && v < MS_2286);
}

