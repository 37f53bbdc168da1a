import type { CategoricalChoice, Distribution, ParamValue, RangeOptions } from '../trial/distributions.js';
import type { Trial } from '../trial/trial.js';
import type { JsonValue } from '../util/json.js';
import type { RemoteError, TrialCall, TrialReply } from './messages.js';
import { inspect } from 'node:util';

/** Sends one call to the main thread and blocks until its reply arrives. */
export type SyncCall = (call: TrialCall) => TrialReply;

/**
 * The Trial an objective sees in a worker: every method is a blocking round trip to the study's
 * own trial on the main thread, so sampling, enqueued params and pruning behave as in-thread.
 */
export class RemoteTrial implements Trial {
  readonly number: number;
  readonly #call: SyncCall;

  constructor(number: number, call: SyncCall) {
    this.number = number;
    this.#call = call;
  }

  // No round trip to the main thread just to print: the number says which trial this is.
  [inspect.custom](): string {
    return `Trial #${this.number} (running in a worker; trial.params for its values)`;
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return this.#ask({ method: 'get', args: ['params'] }) as Record<string, ParamValue>;
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return this.#ask({ method: 'get', args: ['distributions'] }) as Record<string, Distribution>;
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.#ask({ method: 'get', args: ['userAttrs'] }) as Record<string, JsonValue>;
  }

  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.#ask({ method: 'suggestFloat', args: [name, low, high, options] }) as number;
  }

  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.#ask({ method: 'suggestInt', args: [name, low, high, options] }) as number;
  }

  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.#ask({ method: 'suggestCategorical', args: [name, choices] }) as T;
  }

  report(value: number, step: number): void {
    this.#ask({ method: 'report', args: [value, step] });
  }

  shouldPrune(): boolean {
    return this.#ask({ method: 'shouldPrune', args: [] }) as boolean;
  }

  setUserAttr(key: string, value: JsonValue): void {
    this.#ask({ method: 'setUserAttr', args: [key, value] });
  }

  #ask(call: TrialCall): unknown {
    const reply = this.#call(call);
    if (reply.ok) return reply.value;
    throw rebuildError(reply.error);
  }
}

/** The main thread's error, rethrown in the worker with the same name, message and code. */
export function rebuildError(remote: RemoteError): Error {
  const error = new Error(remote.message);
  error.name = remote.name;
  if (remote.code !== undefined) Object.defineProperty(error, 'code', { value: remote.code, enumerable: true });
  return error;
}
