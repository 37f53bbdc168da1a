import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParseError, DataFileCorruptError, data } from '../../src/index.js';
import { allColumns, tempDir, writeText } from '../data/helpers.js';

// Issue 14 item 5 and issue 20 (a quoted field across a read boundary): CSV values are read
// exactly, or the line is refused with the file, line and column, never misread in silence.

const dir = tempDir('faults-csv');

async function failure(path: string, opts: data.CsvOptions = {}): Promise<CsvParseError> {
  const error = await allColumns(data.csv(path, opts)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CsvParseError);
  return error as CsvParseError;
}

describe('dates are checked against their month', () => {
  it.each([
    ['2024-02-30', 'February has 29 days in 2024'],
    ['2023-02-29', 'not a leap year'],
    ['1900-02-29', 'a century year that is not a leap year'],
    ['2024-04-31', 'April has 30 days'],
    ['2024-02-30T10:00:00Z', 'with a time'],
    ['2024-01-01T00:00:00+25:00', 'an offset of 25 hours'],
    ['2024-01-01T24:00:00Z', 'hour 24'],
    ['2024-13-01', 'month 13'],
  ])('%s (%s) is an error naming file, line and column', async (bad) => {
    const path = writeText(dir, `date-${bad.replace(/:/g, '')}.csv`, `t,v\n2024-02-28,1\n${bad},2\n`);
    const error = await failure(path, { dtypes: { t: 'datetime', v: 'float64' } });
    expect(error).toMatchObject({ file: path, line: 3, column: 't', field: 1 });
    expect(error.message).toContain(`${path}:3:`);
    expect(error.message).toContain(`column 't' (field 1) is not a date: "${bad}"`);
  });

  it('keeps real leap days and counts a skipped impossible one', async () => {
    const path = writeText(dir, 'leap.csv', 't,v\n2024-02-29,1\n2000-02-29,2\n2023-02-29,3\n2023-12-31,4\n');
    const src = data.csv(path, { dtypes: { t: 'datetime', v: 'float64' }, onBadRow: 'skip' });
    const { cols } = await allColumns(src);
    expect(cols['t']).toEqual([Date.UTC(2024, 1, 29), Date.UTC(2000, 1, 29), Date.UTC(2023, 11, 31)]);
    expect(src.stats.badRows).toBe(1);
    expect(src.stats.badRowSamples[0]).toMatchObject({ line: 4, text: '2023-02-29,3' });
  });
});

describe('a float column holds decimal numbers only', () => {
  const spellings = ['0x10', '0b11', '0o7', '0X1F', '1_000', ' 0x10 ', '1e', '.', '+-1', '1.2.3', 'Infinityx', '\u00a01', '1\u00a0', '١٢'];

  it.each(spellings)('%j is an error, not a number', async (bad) => {
    const path = writeText(dir, `num-${Buffer.from(bad).toString('hex')}.csv`, `a,b\n1,2\n3,${bad}\n`);
    const error = await failure(path, { dtypes: { a: 'float64', b: 'float64' } });
    expect(error).toMatchObject({ file: path, line: 3, column: 'b', field: 2 });
    expect(error.message).toContain("column 'b' (field 2) is not a number");
  });

  it.each(spellings)('%j in a quoted field is an error too', async (bad) => {
    const path = writeText(dir, `numq-${Buffer.from(bad).toString('hex')}.csv`, `a,b\n1,2\n3,"${bad}"\n`);
    const error = await failure(path, { dtypes: { a: 'float64', b: 'float64' } });
    expect(error).toMatchObject({ line: 3, column: 'b', field: 2 });
  });

  it('counts them under onBadRow: skip, and still reads every decimal spelling', async () => {
    const good = ['1', '-2.5', '+3', '.5', '5.', '1e3', '1E-2', '  7 ', 'inf', '-Infinity', 'NaN', ''];
    const lines = [...good.map((g, i) => `${i},${g}`), ...spellings.map((s, i) => `${100 + i},${s}`)];
    const path = writeText(dir, 'num-skip.csv', `a,b\n${lines.join('\n')}\n`);
    const src = data.csv(path, { dtypes: { a: 'float64', b: 'float64' }, onBadRow: 'skip' });
    const { cols } = await allColumns(src);
    expect(cols['b']).toEqual([1, -2.5, 3, 0.5, 5, 1000, 0.01, 7, Infinity, -Infinity, NaN, NaN]);
    expect(src.stats.badRows).toBe(spellings.length);
  });

  it('infers a column of hex-looking ids as text, not numbers', async () => {
    const path = writeText(dir, 'hex-ids.csv', 'id,v\n0x10,1\n0x1f,2\n');
    const { cols } = await allColumns(data.csv(path));
    expect(cols['id']).toEqual(['0x10', '0x1f']);
  });
});

describe('invalid UTF-8', () => {
  const latin1 = Buffer.concat([Buffer.from('name,v\nok,1\ncaf'), Buffer.from([0xe9]), Buffer.from(',2\n')]);
  const quoted = Buffer.concat([Buffer.from('name,v\nok,1\n"caf'), Buffer.from([0xe9]), Buffer.from('\nx",2\n')]);

  it('is an error naming file, line and column (plain and quoted fields)', async () => {
    for (const [name, bytes] of [['latin1.csv', latin1], ['latin1-quoted.csv', quoted]] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const error = await failure(path, { dtypes: { name: 'string', v: 'float64' } });
      expect(error).toMatchObject({ file: path, line: 3, column: 'name', field: 1 });
      expect(error.message).toMatch(/not UTF-8.*invalidUtf8: 'replace'/);
    }
  });

  it("is a counted skip under onBadRow: 'skip', and U+FFFD only when invalidUtf8: 'replace' asks", async () => {
    const path = join(dir, 'latin1-2.csv');
    writeFileSync(path, latin1);
    const skipping = data.csv(path, { dtypes: { name: 'string', v: 'float64' }, onBadRow: 'skip' });
    expect((await allColumns(skipping)).cols['name']).toEqual(['ok']);
    expect(skipping.stats.badRows).toBe(1);
    const replacing = await allColumns(data.csv(path, { dtypes: { name: 'string', v: 'float64' }, invalidUtf8: 'replace' }));
    expect(replacing.cols['name']).toEqual(['ok', 'caf\uFFFD']);
  });

  it('a real U+FFFD in the file is text like any other', async () => {
    const path = writeText(dir, 'real-fffd.csv', 'name,v\n\uFFFD,1\n"a\uFFFD\nb",2\n');
    expect((await allColumns(data.csv(path, { dtypes: { name: 'string', v: 'float64' } }))).cols['name']).toEqual(['\uFFFD', 'a\uFFFD\nb']);
  });

  it("a quoted field with bad bytes is U+FFFD under invalidUtf8: 'replace', and a counted skip under onBadRow: 'skip'", async () => {
    const path = join(dir, 'latin1-quoted-2.csv');
    writeFileSync(path, quoted);
    const replacing = await allColumns(data.csv(path, { dtypes: { name: 'string', v: 'float64' }, invalidUtf8: 'replace' }));
    expect(replacing.cols).toEqual({ name: ['ok', 'caf\uFFFD\nx'], v: [1, 2] });
    const skipping = data.csv(path, { dtypes: { name: 'string', v: 'float64' }, onBadRow: 'skip' });
    expect((await allColumns(skipping)).cols['name']).toEqual(['ok']);
    expect(skipping.stats.badRowSamples).toMatchObject([{ line: 3, reason: expect.stringMatching(/column 'name' \(field 1\) holds bytes that are not UTF-8/) }]);
  });

  it('in the header is an error too', async () => {
    const path = join(dir, 'latin1-header.csv');
    writeFileSync(path, Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(',v\n1,2\n')]));
    const error = await failure(path);
    expect(error.message).toMatch(/header holds bytes that are not UTF-8/);
  });
});

it('a truncated .csv.gz names the file and says it is cut short', async () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => `${i},${i * 0.5}`).join('\n');
  const gz = gzipSync(`a,b\n${rows}\n`);
  const path = join(dir, 'cut.csv.gz');
  writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
  const error = await allColumns(data.csv(path)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataFileCorruptError);
  expect((error as Error).message).toContain(path);
  expect((error as Error).message).toMatch(/cut short/);
  const garbage = join(dir, 'garbage.csv.gz');
  writeFileSync(garbage, Buffer.concat([gz.subarray(0, 10), Buffer.alloc(200, 7)]));
  const corrupt = await allColumns(data.csv(garbage, { header: ['a', 'b'] })).catch((e: unknown) => e);
  expect(corrupt).toBeInstanceOf(DataFileCorruptError);
  expect((corrupt as Error).message).toMatch(/garbage\.csv\.gz.*corrupt/);
});

// ---------------------------------------------------------------------------------------------
// The parser against a reference RFC 4180 parser, over generated files and read sizes.

/** RFC 4180 on a decoded string: quoted fields with "" for a quote, CRLF or LF line ends; blank lines skipped. */
function referenceParse(text: string, delim = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let fieldStart = true;
  const endField = (): void => {
    row.push(field);
    field = '';
    fieldStart = true;
  };
  const endRow = (): void => {
    endField();
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        inQuotes = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
      i++;
    } else if (c === delim) {
      endField();
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 2;
    } else if (c === '\n') {
      endRow();
      i++;
    } else {
      field += c;
      fieldStart = false;
      i++;
    }
  }
  if (field !== '' || row.length > 0 || !fieldStart) endRow();
  return rows;
}

type Cell = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'float'; readonly value: number };

interface GeneratedFile {
  readonly kinds: readonly ('string' | 'float64')[];
  readonly rows: readonly (readonly Cell[])[];
  readonly forceQuote: readonly boolean[];
  readonly crlf: boolean;
  readonly bom: boolean;
  readonly finalNewline: boolean;
}

const textChar = fc.constantFrom('a', 'b', 'z', ' ', ',', '"', '\n', '\r', '\r\n', 'é', '€', '😀', '\uFFFD', '\t', '0', '1');
const textCell = fc.array(textChar, { maxLength: 12 }).map((cs): Cell => ({ kind: 'text', text: cs.join('') }));
const floatCell = fc.double().map((value): Cell => ({ kind: 'float', value }));

const generatedFile: fc.Arbitrary<GeneratedFile> = fc
  .array(fc.constantFrom('string' as const, 'float64' as const), { minLength: 2, maxLength: 4 })
  .chain((kinds) =>
    fc.record({
      kinds: fc.constant(kinds),
      rows: fc.array(fc.tuple(...kinds.map((k) => (k === 'string' ? textCell : floatCell))), { minLength: 1, maxLength: 12 }),
      forceQuote: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      finalNewline: fc.boolean(),
    }),
  );

function serialize(f: GeneratedFile): string {
  const eol = f.crlf ? '\r\n' : '\n';
  let q = 0;
  const quote = (s: string): string => {
    const force = f.forceQuote[q++ % f.forceQuote.length] as boolean;
    return force || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = f.kinds.map((_, i) => `c${i}`).join(',');
  const lines = f.rows.map((r) => r.map((c) => quote(c.kind === 'text' ? c.text : String(c.value))).join(','));
  return `${f.bom ? '\uFEFF' : ''}${header}${eol}${lines.join(eol)}${f.finalNewline ? eol : ''}`;
}

let fileCount = 0;
async function parseWith(text: string, kinds: readonly string[], opts: { readonly readBytes: number; readonly chunkRows: number; readonly gzip: boolean }): Promise<Record<string, (number | string)[]>> {
  const path = join(dir, `gen-${fileCount++}.csv${opts.gzip ? '.gz' : ''}`);
  writeFileSync(path, opts.gzip ? gzipSync(text) : text);
  const names = referenceParse(text.replace(/^\uFEFF/, ''))[0] as string[];
  const dtypes = Object.fromEntries(kinds.map((k, i) => [names[i] as string, k as data.Dtype]));
  return (await allColumns(data.csv(path, { dtypes, readBytes: opts.readBytes, chunkRows: opts.chunkRows }))).cols;
}

/** What the reference parser reads, converted as the column types say (floats by Number()). */
function expectedColumns(text: string, kinds: readonly string[]): Record<string, (number | string)[]> {
  const [names, ...rows] = referenceParse(text.replace(/^\uFEFF/, '')) as [string[], ...string[][]];
  const cols: Record<string, (number | string)[]> = {};
  kinds.forEach((k, i) => {
    cols[names[i] as string] = rows.map((r) => (k === 'string' ? (r[i] as string) : Number(r[i])));
  });
  return cols;
}

describe('the parser agrees with a reference RFC 4180 parser', () => {
  it('over generated files, read sizes, chunk sizes and gzip (property)', async () => {
    await fc.assert(
      fc.asyncProperty(generatedFile, fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), async (f, readBytes, chunkRows, gzip) => {
        const text = serialize(f);
        const got = await parseWith(text, f.kinds, { readBytes, chunkRows, gzip });
        const want = expectedColumns(text, f.kinds);
        // Our own generator's values must come back too: the reference parser is checked as well.
        expect(want['c0']).toHaveLength(f.rows.length);
        expect(got).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });

  it('with a read boundary at every byte of a file with BOM, CRLF, quotes, multi-byte characters and multi-line fields', async () => {
    const text = '\uFEFFname,x,note\r\n"a ""q"", b",1.5,"line1\r\nline2"\r\nplain,-2e-3,😀€\r\n"",3,"\n\n"\r\n"é,\r\n",4,x\r\nlast,5,"end"';
    const kinds = ['string', 'float64', 'string'];
    const want = expectedColumns(text, kinds);
    expect(want['name']).toEqual(['a "q", b', 'plain', '', 'é,\r\n', 'last']);
    const bytes = Buffer.byteLength(text);
    for (let readBytes = 1; readBytes <= bytes + 1; readBytes++) {
      const got = await parseWith(text, kinds, { readBytes, chunkRows: 2, gzip: false });
      expect(got, `readBytes ${readBytes}`).toEqual(want);
    }
  });

  it('on a 3 MiB file whose multi-line quoted fields cross the default 1 MiB reads at varied offsets', async () => {
    const rng = fc.sample(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 40_000, maxLength: 40_000 }), { numRuns: 1, seed: 20 })[0] as number[];
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 3.2 * 1024 * 1024; i++) {
      const n = rng[i % rng.length] as number;
      // Fields of varied length, with quotes and newlines, so record ends fall at varied offsets.
      const note = `"${'x'.repeat(n)}\n${'"'.repeat(n % 5 === 0 ? 2 : 0)}line ${i}\r\n${'y'.repeat((n * 7) % 301)}"`;
      const line = `${i},${note},${n / 8}`;
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    const text = `i,note,v\n${lines.join('\n')}\n`;
    const kinds = ['float64', 'string', 'float64'];
    const path = join(dir, 'big-quoted.csv');
    writeFileSync(path, text);
    const got = (await allColumns(data.csv(path, { dtypes: { i: 'float64', note: 'string', v: 'float64' } }))).cols;
    const want = expectedColumns(text, kinds);
    expect(got['i']).toHaveLength(lines.length);
    expect(got['i']).toEqual(want['i']);
    expect(got['note']).toEqual(want['note']);
    expect(got['v']).toEqual(want['v']);
  });
});

// Bad rows are reported by the physical line they start on, with their text: a user finds them in an
// editor by that number. Generated files mix good rows, rows with a wrong field count, rows with a
// value that is not a number (each quoted or not, some spanning lines) and empty lines, read in pieces of
// every size, so a quoted record's CRLF split across two reads, or an empty line after it, is counted once.
type GenRow = { readonly kind: 'good' | 'count' | 'value' | 'empty'; readonly quoted: boolean; readonly multiline: boolean };
const genRow: fc.Arbitrary<GenRow> = fc.record({ kind: fc.constantFrom('good', 'good', 'count', 'value', 'empty'), quoted: fc.boolean(), multiline: fc.boolean() });

/** The file's text, and for each bad record the line it starts on and its text without the line end. */
function badRowFile(rows: readonly GenRow[], crlf: boolean, finalNewline: boolean): { text: string; bad: { line: number; text: string }[]; good: number } {
  const eol = crlf ? '\r\n' : '\n';
  const records: string[] = ['name,x,note'];
  rows.forEach((r, i) => {
    const note = r.quoted ? `"n${i}${r.multiline ? `${eol}more` : ''}, ""q"""` : `n${i}`;
    if (r.kind === 'empty') records.push('');
    else if (r.kind === 'good') records.push(`r${i},${i}.5,${note}`);
    else if (r.kind === 'count') records.push(`r${i},${note}`);
    else records.push(`r${i},${r.quoted ? '"1x"' : '1x'},${note}`);
  });
  const bad: { line: number; text: string }[] = [];
  let line = 1;
  let good = 0;
  records.forEach((rec, k) => {
    const row = rows[k - 1];
    if (row !== undefined && (row.kind === 'count' || row.kind === 'value')) bad.push({ line, text: rec });
    if (row?.kind === 'good') good++;
    line += rec.split('\n').length;
  });
  // A final empty record would be a trailing newline, which finalNewline says.
  while (records.length > 1 && records[records.length - 1] === '') records.pop();
  return { text: records.join(eol) + (finalNewline ? eol : ''), bad, good };
}

describe('bad rows are reported at the line they start on', () => {
  it('whatever the quoting, line ends, empty lines and read size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(genRow, { minLength: 1, maxLength: 14 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 4 }), async (rows, crlf, finalNewline, readBytes, chunkRows) => {
        const { text, bad, good } = badRowFile(rows, crlf, finalNewline);
        const path = writeText(dir, `bad-${fileCount++}.csv`, text);
        const dtypes = { name: 'string', x: 'float64', note: 'string' } as const;
        const skipped = data.csv(path, { dtypes, readBytes, chunkRows, onBadRow: 'skip' });
        const got = await allColumns(skipped);
        expect(got.rows).toBe(good);
        expect(skipped.stats.badRows).toBe(bad.length);
        expect(skipped.stats.badRowSamples.map((s) => ({ line: s.line, text: s.text }))).toEqual(bad.slice(0, 5));
        const first = bad[0];
        if (first === undefined) return;
        const err = await failure(path, { dtypes, readBytes, chunkRows });
        expect({ line: err.line, text: err.text }).toEqual(first);
      }),
      { numRuns: 120, seed: 20261204 },
    );
  });

  it('a lone CR ends the last record after a quoted field, and a CR at the end of a read waits for its LF', async () => {
    const path = writeText(dir, 'lone-cr.csv', 'name,x\r\n"a",1\r');
    expect((await allColumns(data.csv(path, { dtypes: { name: 'string', x: 'float64' } }))).cols).toEqual({ name: ['a'], x: [1] });
    // The header's CRLF split between two reads of 7 and more bytes: the line after it is line 2, not 3.
    const split = writeText(dir, 'split-crlf.csv', '"name",x\r\nbad,1,2\r\n');
    for (const readBytes of [1, 2, 7, 8, 9, 10, 64]) expect((await failure(split, { dtypes: { name: 'string', x: 'float64' }, readBytes })).line, `readBytes ${readBytes}`).toBe(2);
  });
});

describe('quoted records the fast path hands over', () => {
  it('a quoted field never closed is a bad row at the line it opens on, not a silent end of file', async () => {
    const path = writeText(dir, 'unclosed.csv', 'name,x\nok,1\n"open,2\nmore\n');
    const error = await failure(path, { dtypes: { name: 'string', x: 'float64' } });
    expect(error).toMatchObject({ line: 3, text: '"open,2\nmore' });
    expect(error.message).toMatch(/a quoted field is never closed/);
    const skipping = data.csv(path, { dtypes: { name: 'string', x: 'float64' }, onBadRow: 'skip' });
    expect((await allColumns(skipping)).cols).toEqual({ name: ['ok'], x: [1] });
    expect(skipping.stats.badRows).toBe(1);
  });

  it('quoted numbers and dates convert as their column says; a quoted bad one names its column', async () => {
    const path = writeText(dir, 'quoted-typed.csv', 'd,x,s\n"2024-02-29","1.5","a"\n2024-03-01,"-2",b\n');
    const dtypes = { d: 'datetime', x: 'float64', s: 'string' } as const;
    expect((await allColumns(data.csv(path, { dtypes }))).cols).toEqual({ d: [Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1)], x: [1.5, -2], s: ['a', 'b'] });
    const bad = writeText(dir, 'quoted-bad-date.csv', 'd,x,s\n"2024-02-30","1.5","a"\n');
    expect(await failure(bad, { dtypes })).toMatchObject({ line: 2, column: 'd', field: 1 });
    const badNumber = writeText(dir, 'quoted-bad-number.csv', 'd,x,s\n"2024-02-28","1.5x","a"\n');
    expect(await failure(badNumber, { dtypes })).toMatchObject({ line: 2, column: 'x', field: 2 });
  });

  it('keeps at most five examples of bad rows, and counts them all', async () => {
    const lines = Array.from({ length: 9 }, (_, i) => (i % 2 === 0 ? `"q${i}",x${i}` : `p${i},x${i}`));
    const path = writeText(dir, 'many-bad.csv', `name,x\n${lines.join('\n')}\nok,1\n`);
    const src = data.csv(path, { dtypes: { name: 'string', x: 'float64' }, onBadRow: 'skip' });
    expect((await allColumns(src)).cols['name']).toEqual(['ok']);
    expect(src.stats.badRows).toBe(9);
    expect(src.stats.badRowSamples.map((b) => b.line)).toEqual([2, 3, 4, 5, 6]);
  });
});
