import { InvalidOptionError } from '../../errors.js';

/** A window length or period: a whole number of rows, at least `min`. */
export function period(indicator: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`${indicator}: ${name} must be a whole number of rows >= ${min}, got ${String(value)}`);
  }
  return value;
}

export function columnName(indicator: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new InvalidOptionError(`${indicator}: ${name} must name a column, got ${JSON.stringify(value)}`);
  return value;
}
