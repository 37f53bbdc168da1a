// Technical indicators as streaming operations: data.indicators.rsi('close', 14), ...
export { ema } from './ema.js';
export { rsi } from './rsi.js';
export { macd, type MacdOptions } from './macd.js';
export { bollinger, type BollingerOptions } from './bollinger.js';
export { atr, type OhlcColumns } from './atr.js';
export { obv, vwap, type VolumeColumns, type VwapOptions } from './volume.js';
export { returns, logReturns } from './returns.js';
export { computeIndicator, type IndicatorSpecs } from './stage.js';
export type { Indicator, IndicatorState } from './types.js';
