/**
 * An exponential moving average seeded with the simple average of its first `period` values, as
 * TA-Lib and the technicalindicators package compute it: `alpha` 2/(period+1) for an EMA, 1/period
 * for Wilder's smoothing (RSI, ATR). A value that is not finite is a missing row: it gives NaN and
 * leaves the average as it was.
 */
export class SeededEma {
  #count = 0;
  #sum = 0;
  #value = NaN;
  constructor(
    readonly period: number,
    readonly alpha: number,
  ) {}

  static ema(period: number): SeededEma {
    return new SeededEma(period, 2 / (period + 1));
  }

  static wilder(period: number): SeededEma {
    return new SeededEma(period, 1 / period);
  }

  next(x: number): number {
    if (!Number.isFinite(x)) return NaN;
    if (this.#count < this.period) {
      this.#sum += x;
      this.#count++;
      if (this.#count < this.period) return NaN;
      this.#value = this.#sum / this.period;
      return this.#value;
    }
    this.#value = (x - this.#value) * this.alpha + this.#value;
    return this.#value;
  }
}
