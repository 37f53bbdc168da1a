/**
 * e^(−s) for s ≥ 0, within 2 ulp of Math.exp(−s) and faster in V8, whose Math.exp is a call that
 * is not inlined. The GP's kernel evaluates it once per pair of points: millions of times in a
 * 100-trial study, the largest single cost of the acquisition sweep.
 *
 * Method (table-driven, as in Tang's exp): s = (64m + j)·ln2/64 + t with |t| ≤ ln2/128, ln2/64
 * split in two parts so the product with the whole k = 64m + j is exact; e^(−t) by a degree-5
 * polynomial (remainder below 2⁻⁵⁴ on that interval); then 2^(−j/64) and 2^(−m) from tables.
 */

// fdlibm's two-part ln2 over 64: the high part's low 21 bits are zero, so k·LN2_64_HI is exact.
const LN2_64_HI = 6.93147180369123816490e-1 / 64;
const LN2_64_LO = 1.90821492927058770002e-10 / 64;
/** Adding and subtracting 1.5·2⁵² rounds a double to the nearest integer without a call. */
const ROUNDER = 6755399441055744;
const INV_LN2_64 = 64 / Math.LN2;
/** Below this the result stays a normal number; beyond it Math.exp handles the underflow. */
const FAST_LIMIT = 708;
const POW2_FRACTION = Float64Array.from({ length: 64 }, (_, j) => 2 ** (-j / 64));
const POW2_WHOLE = Float64Array.from({ length: 1024 }, (_, m) => 2 ** -m);

export function expNegative(s: number): number {
  // NaN, negative arguments and deep underflow take the library's path.
  if (!(s >= 0 && s < FAST_LIMIT)) return Math.exp(-s);
  const k = s * INV_LN2_64 + ROUNDER - ROUNDER;
  const u = k * LN2_64_HI - s + k * LN2_64_LO; // −t
  const u2 = u * u;
  // Estrin's scheme: the two halves of the polynomial do not wait on each other.
  const q = u + u2 * (0.5 + u * (1 / 6)) + u2 * u2 * (1 / 24 + u * (1 / 120)); // e^(−t) − 1
  const f = POW2_FRACTION[k & 63] as number;
  // f + f·q rounds once at the end where f·(1 + q) would round 1 + q first.
  return (f + f * q) * (POW2_WHOLE[k >> 6] as number);
}

