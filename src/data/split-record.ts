/** One record split by the RFC 4180 path: its fields, where the next record starts, how many lines it spans. */
export interface SplitRecord {
  readonly fields: string[];
  readonly next: number;
  readonly lines: number;
  /** A quoted field was still open at the end of the input. */
  readonly unterminated: boolean;
}

/**
 * Splits the record at `p` following RFC 4180: fields may be quoted, a quoted field may hold the
 * delimiter, newlines and doubled quotes (`""`). This is the slow path, used for the header, the
 * type-inference sample and any row whose field starts with a quote. Returns undefined when the
 * record does not end before `end` and more input may follow (`final` false).
 */
export function splitRecord(buf: Buffer, p: number, end: number, delim: number, final: boolean): SplitRecord | undefined {
  const fields: string[] = [];
  let i = p;
  let lines = 1;
  for (;;) {
    let text = '';
    if (i < end && buf[i] === 34) {
      i++;
      let from = i;
      let closed = false;
      while (i < end) {
        const c = buf[i];
        if (c === 34) {
          text += buf.toString('utf8', from, i);
          if (buf[i + 1] === 34 && i + 1 < end) {
            text += '"';
            i += 2;
            from = i;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (c === 10) lines++;
        i++;
      }
      if (!closed) {
        if (!final) return undefined;
        text += buf.toString('utf8', from, end);
        fields.push(text);
        return { fields, next: end, lines, unterminated: true };
      }
      // Text after a closing quote is kept verbatim, as pandas and papaparse do.
      const rest = i;
      while (i < end && buf[i] !== delim && buf[i] !== 10 && buf[i] !== 13) i++;
      if (i > rest) text += buf.toString('utf8', rest, i);
    } else {
      const from = i;
      while (i < end && buf[i] !== delim && buf[i] !== 10 && buf[i] !== 13) i++;
      text = buf.toString('utf8', from, i);
    }
    fields.push(text);
    if (i >= end) {
      if (!final) return undefined;
      return { fields, next: end, lines, unterminated: false };
    }
    const c = buf[i];
    if (c === delim) {
      i++;
      continue;
    }
    if (c === 13 && buf[i + 1] === 10) return { fields, next: i + 2, lines, unterminated: false };
    if (c === 13 && i + 1 >= end && !final) return undefined;
    return { fields, next: i + 1, lines, unterminated: false };
  }
}
