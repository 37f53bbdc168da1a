import { InvalidOptionError } from '../errors.js';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `'5m'`, `'1h'`, `'1d'`, `'250ms'`, or a number of milliseconds → milliseconds. */
export function parseInterval(interval: string | number, where: string): number {
  if (typeof interval === 'number') {
    if (Number.isFinite(interval) && interval > 0) return interval;
  } else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)\s*$/.exec(interval);
    if (m !== null) {
      const ms = Number(m[1]) * (UNITS[m[2] as string] as number);
      if (ms > 0) return ms;
    }
  }
  throw new InvalidOptionError(`${where}: interval must be a positive number of ms or a string like '5m', '1h', '1d' (units ms, s, m/min, h, d, w), got ${JSON.stringify(interval)}`);
}
