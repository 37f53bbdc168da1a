/**
 * One format for a column of numbers (tables in render/, print forms in data/): one number of
 * decimals, thousands separators for all of a column or none, numbers already rounded kept as given.
 */
// Trial numbers, process ids, years, ports, seeds: digits, not quantities.
const ID_LABEL = /^(#|n|number|trial|trials?[ _]?(no|number|#)|id|.*[ _]id|pid|.*\bpid|worker|seed|port|year|step|epoch|index|rank)$/i;

export type NumberFormat = (v: number) => string;

/** Decimals in the shortest text of v (0.25 → 2), or undefined for exponent form. */
function givenDecimals(v: number): number | undefined {
  const s = String(v);
  if (/e/i.test(s)) return undefined;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

function group(text: string): string {
  const [int, frac] = text.split('.') as [string, string | undefined];
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

export function numberColumnFormat(values: readonly number[], label = ''): NumberFormat {
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number): string | undefined => (Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? '∞' : '-∞') : undefined);
  if (finite.length === 0) return (v) => special(v) ?? String(v);
  const allIntegers = finite.every(Number.isInteger);
  const maxAbs = Math.max(...finite.map(Math.abs));
  const idLike = allIntegers && ID_LABEL.test(label.trim());
  if (allIntegers) {
    const grouping = !idLike && maxAbs >= 1e4 && maxAbs < 1e21;
    return (v) => special(v) ?? (grouping ? group(String(v)) : String(v));
  }
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  const minAbs = nonZero.length > 0 ? Math.min(...nonZero) : 0;
  const exponent: NumberFormat = (v) => special(v) ?? (v === 0 ? '0' : v.toExponential(3));
  if (maxAbs >= 1e9 || maxAbs < 1e-3) return exponent;
  // 6 significant digits for the largest value; as given when the user already rounded every value.
  const wanted = Math.max(0, Math.min(10, 5 - Math.floor(Math.log10(maxAbs))));
  const given = finite.map(givenDecimals);
  // A computed double has 15 or more decimals; six or fewer in every value means someone rounded them.
  const userRounded = given.every((d): d is number => d !== undefined && d <= Math.max(wanted, 6));
  const decimals = userRounded ? Math.max(...given) : wanted;
  // The smallest values would keep fewer than 2 significant digits: exponent form for the column.
  if (!userRounded && minAbs > 0 && minAbs * 10 ** decimals < 10) return exponent;
  const grouping = maxAbs >= 1e4;
  return (v) => {
    const s = special(v);
    if (s !== undefined) return s;
    const text = v.toFixed(decimals);
    return grouping ? group(text) : text;
  };
}

