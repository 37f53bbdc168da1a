import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnNotFoundError, CsvParseError, DataFileNotFoundError, InvalidOptionError, data } from '../../src/index.js';
import { BTC, allColumns, ohlcvFile, tempDir, writeText } from './helpers.js';

const dir = tempDir('csv');

/** Reference parse: split lines and fields, Number() each field. */
function naive(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number));
}

describe('data.csv typed-column path', () => {
  it('reads every value exactly as Number() would, whatever the chunk size', async () => {
    // ~3 MB: several 1 MiB reads, so lines are split across buffers.
    const path = await ohlcvFile(dir, 50_000);
    const expected = naive(path);
    for (const chunkRows of [977, 10_000, 100_000]) {
      const src = data.csv(path, { chunkRows });
      const { rows, chunks, cols } = await allColumns(src);
      expect(rows).toBe(50_000);
      // Exact sizes: full chunks, then the rest (one chunk of all rows when chunkRows exceeds them).
      const sizes = Array.from({ length: Math.ceil(50_000 / chunkRows) }, (_, k) => Math.min(chunkRows, 50_000 - k * chunkRows));
      expect(chunks).toEqual(sizes);
      const names = ['timestamp', 'open', 'high', 'low', 'close', 'volume'];
      for (let i = 0; i < rows; i += 1) {
        const row = expected[i] as number[];
        for (let j = 0; j < 6; j++) {
          if ((cols[names[j] as string] as number[])[i] !== row[j]) {
            throw new Error(`row ${i} col ${names[j]}: ${(cols[names[j] as string] as number[])[i]} != ${row[j]} (chunkRows ${chunkRows})`);
          }
        }
      }
      expect(src.stats).toMatchObject({ rows: 50_000, badRows: 0, chunks: chunks.length });
    }
  });

  it('parses any double printed by JavaScript to the same double', async () => {
    const path = join(dir, 'doubles.csv');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), async (values) => {
        writeFileSync(path, `x\n${values.map((v) => String(v)).join('\n')}\n`);
        const { cols } = await allColumns(data.csv(path));
        expect(cols['x']).toEqual(values.map((v) => Number(String(v))));
      }),
      { numRuns: 60 },
    );
  });

  it('handles RFC 4180 quoting, CRLF, a missing final newline and blank lines', async () => {
    const text = 'name,price,note\r\n"Smith, J",1.5,"said ""hi""\nthen left"\r\nplain,2,\r\n\r\n"q",3e2,"x"';
    const path = writeText(dir, 'quoted.csv', text);
    const { rows, cols } = await allColumns(data.csv(path, { chunkRows: 2 }));
    expect(rows).toBe(3);
    expect(cols['name']).toEqual(['Smith, J', 'plain', 'q']);
    expect(cols['price']).toEqual([1.5, 2, 300]);
    expect(cols['note']).toEqual(['said "hi"\nthen left', '', 'x']);
  });

  it('counts lines through quoted newlines when reporting a bad line', async () => {
    const path = writeText(dir, 'quoted-bad.csv', 'a,b\n"multi\nline",1\nx,oops\n');
    await expect(allColumns(data.csv(path, { dtypes: { a: 'string', b: 'float64' } }))).rejects.toMatchObject({ line: 4, text: 'x,oops' });
  });

  it('selects columns, renames headerless files and honours delimiter and dtypes', async () => {
    const path = writeText(dir, 'semi.csv', '1;a;2.5\n2;b;3.5\n');
    const src = data.csv(path, { header: ['id', 'tag', 'v'], delimiter: ';', columns: ['v', 'tag'] });
    const { cols } = await allColumns(src);
    expect(Object.keys(cols)).toEqual(['v', 'tag']);
    expect(cols['v']).toEqual([2.5, 3.5]);
    expect(cols['tag']).toEqual(['a', 'b']);
    const noHeader = await allColumns(data.csv(path, { header: false, delimiter: ';', dtypes: { c0: 'string' } }));
    expect(noHeader.cols['c0']).toEqual(['1', '2']);
    expect(noHeader.cols['c2']).toEqual([2.5, 3.5]);
  });

  it('streams .csv.gz', async () => {
    const plain = await ohlcvFile(dir, 20_000, 3);
    const gz = `${plain}.gz`;
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const a = await allColumns(data.csv(plain, { chunkRows: 3000 }));
    const b = await allColumns(data.csv(gz, { chunkRows: 3000 }));
    expect(b.rows).toBe(20_000);
    expect(b.cols['close']).toEqual(a.cols['close']);
  });

  it('reads the bundled BTC file: ISO dates as UTC ms, literal null rows as NaN', async () => {
    const src = data.csv(BTC, { chunkRows: 700 });
    expect(await src.schema()).toMatchObject({ dtypes: { Date: 'datetime', Close: 'float64', Volume: 'float64' } });
    const { rows, cols } = await allColumns(src);
    expect(rows).toBe(2534);
    expect(src.stats.badRows).toBe(0);
    const dates = cols['Date'] as number[];
    expect(dates[0]).toBe(Date.UTC(2014, 8, 17));
    expect(dates[rows - 1]).toBe(Date.UTC(2021, 7, 24));
    expect(dates.every((d, i) => i === 0 || d - (dates[i - 1] as number) === 86_400_000)).toBe(true);
    const close = cols['Close'] as number[];
    const nullDays = dates.filter((_, i) => Number.isNaN(close[i])).map((d) => new Date(d).toISOString().slice(0, 10));
    expect(nullDays).toEqual(['2020-04-17', '2020-10-09', '2020-10-12', '2020-10-13']);
    expect(close[0]).toBe(457.334015);
  });
});

describe('data.csv bad input', () => {
  const text = 'a,b,c\n1,2,3\n4,5\n6,x,8\n9,10,11,12\n13,14,15\n';

  it('raises CsvParseError naming the file, the line number and the line', async () => {
    const path = writeText(dir, 'bad.csv', text);
    const err = await allColumns(data.csv(path)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvParseError);
    expect(err).toMatchObject({ file: path, line: 3, text: '4,5' });
    expect(String((err as Error).message)).toContain('expected 3 fields, found 2');
  });

  it('names the column of a non-numeric value and hints at dtypes', async () => {
    // 150 numeric rows: the type of b is inferred as float64 from the first 100, then 'x' comes.
    const rowsText = Array.from({ length: 150 }, (_, i) => `${i},${i * 2},${i * 3}`).join('\n');
    const path = writeText(dir, 'bad-value.csv', `a,b,c\n${rowsText}\n6,x,8\n`);
    const err = (await allColumns(data.csv(path)).catch((e: unknown) => e)) as CsvParseError;
    expect(err).toBeInstanceOf(CsvParseError);
    expect(err.line).toBe(152);
    expect(err.message).toContain("column 'b'");
    expect(err.message).toContain('"x"');
    expect(err.message).toContain("dtypes: { 'b': 'string' }");
  });

  it("onBadRow: 'skip' counts and skips them and keeps examples", async () => {
    const path = writeText(dir, 'bad-skip.csv', text);
    const src = data.csv(path, { onBadRow: 'skip', dtypes: { a: 'float64', b: 'float64', c: 'float64' } });
    const { cols } = await allColumns(src);
    expect(cols['a']).toEqual([1, 13]);
    expect(src.stats.badRows).toBe(3);
    expect(src.stats.badRowSamples.map((s) => s.line)).toEqual([3, 4, 5]);
  });

  it('a missing file fails at once, naming it and the CSV files beside it', () => {
    writeText(dir, 'present.csv', 'a\n1\n');
    const missing = join(dir, 'absent.csv');
    expect(() => data.csv(missing)).toThrow(DataFileNotFoundError);
    expect(() => data.csv(missing)).toThrow(/absent\.csv.*present\.csv/);
  });

  it('a missing column names it and lists the columns that exist', async () => {
    const path = writeText(dir, 'cols.csv', 'open,close\n1,2\n');
    const err = await allColumns(data.csv(path, { columns: ['open', 'volume'] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ColumnNotFoundError);
    expect(String((err as Error).message)).toContain("no column 'volume'");
    expect(String((err as Error).message)).toContain("'open', 'close'");
  });

  it('checks options when they are given', () => {
    const path = writeText(dir, 'opts.csv', 'a\n1\n');
    expect(() => data.csv(path, { chunkRows: 0 })).toThrow(InvalidOptionError);
    expect(() => data.csv(path, { delimiter: ',,' })).toThrow(/delimiter/);
    expect(() => data.csv(path, { dtypes: { a: 'int' as never } })).toThrow(/dtypes\.a/);
  });
});

describe('data.csv backpressure', () => {
  it('a slow consumer keeps the reader from running ahead', async () => {
    const path = await ohlcvFile(dir, 300_000, 5); // ~19 MB
    const src = data.csv(path, { chunkRows: 1000 });
    const it = src.columns()[Symbol.asyncIterator]();
    await it.next();
    await new Promise((r) => setTimeout(r, 300));
    // Read so far: the first buffers only, not the file.
    expect(src.stats.bytesRead).toBeLessThan(4 * 2 ** 20);
    await it.return?.();
  });
});
