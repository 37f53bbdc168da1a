import { inspect } from 'node:util';
import { shortNumber, shortValue } from '../util/short-text.js';
import { lastIntermediate, type FrozenTrial } from './frozen-trial.js';

function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${shortNumber(Number((ms / 1000).toPrecision(3)))} s`;
}

/**
 * A trial on one line, as the REPL and a notebook cell print it:
 * `FrozenTrial #5 COMPLETE value 2.13186 { x: 0.767977, optimizer: 'adam' } 11 ms`.
 * (The full record is still there: `{ ...trial }` or `JSON.stringify(trial)` show every field.)
 */
export function frozenTrialText(t: FrozenTrial, kind = 'FrozenTrial'): string {
  const parts = [`${kind} #${t.number}`, t.state];
  if (t.values !== undefined) parts.push(t.values.length === 1 ? `value ${shortNumber(t.values[0] as number)}` : `values [${t.values.map(shortNumber).join(', ')}]`);
  if (t.state === 'PRUNED') {
    const last = lastIntermediate(t);
    if (last !== undefined) parts.push(`at step ${last.step} (${shortNumber(last.value)})`);
  }
  parts.push(shortValue(t.params));
  if (Object.keys(t.userAttrs).length > 0) parts.push(`user attrs ${shortValue(t.userAttrs)}`);
  const reason = t.systemAttrs['failReason'];
  if (t.state === 'FAIL' && reason !== undefined) parts.push(`failed: ${typeof reason === 'string' ? reason.split('\n')[0] : shortValue(reason)}`);
  if (t.durationMs !== undefined) parts.push(durationText(t.durationMs));
  return parts.join(' ');
}

/**
 * The prototype of a trial snapshot with its print form: a plain object's prototype plus one
 * non-enumerable method, so `constructor` is still Object (`toStrictEqual` against a literal holds).
 */
const PRINTABLE_TRIAL: object = Object.create(Object.prototype, {
  [inspect.custom]: { value: trialInspect, enumerable: false, writable: true, configurable: true },
});

/**
 * Gives a trial snapshot its one-line print form. The object stays plain data (JSON, structured
 * clone and spreads do not carry it; `toEqual` ignores it). Through its prototype, not a property
 * of its own: defining a property on every finished trial cost about 1 µs each, a fifth of an
 * in-memory Random trial.
 */
export function withTrialText<T extends FrozenTrial>(t: T): T {
  const proto: unknown = Object.getPrototypeOf(t);
  if (proto === Object.prototype && Object.isExtensible(t)) Object.setPrototypeOf(t, PRINTABLE_TRIAL);
  return t;
}

function trialInspect(this: FrozenTrial): string {
  return frozenTrialText(this);
}
