import { InvalidOptionError, TunelabError } from '../errors.js';
import { categoricalDistribution, contains, describeDistribution, floatDistribution, intDistribution, toInternal, type Distribution, type ParamValue } from '../trial/distributions.js';
import type { Sampler } from '../search/sampler.js';
import type { DraftPatch, Storage } from '../storage/storage.js';
import { isJsonValue, type JsonValue } from '../util/json.js';
import { CONSTRAINTS_KEY } from '../trial/constraints.js';
import { fillFinishPatch, NO_FINISHING, samplerFinishing, type Finishing } from './finish.js';
import { lastIntermediate, type FrozenTrial, type StudyId } from '../trial/frozen-trial.js';
import type { Outcome } from './outcome.js';
import type { StudyView } from '../trial/view.js';

/**
 * A trial evaluated elsewhere, to add to a study as Optuna's `study.add_trial(create_trial(...))`
 * does: samplers then learn from it as from any finished trial (warm start from earlier runs or
 * known-good settings).
 */
export interface AddTrialSpec {
  /** External values: numbers, or the chosen categorical value. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /**
   * Distributions of the params, e.g. `{ x: floatDistribution('x', -5, 10) }`. Optional for a
   * param the study has already suggested: its distribution there is used.
   */
  readonly distributions?: Readonly<Record<string, Distribution>>;
  /** The objective value (single-objective studies). */
  readonly value?: number;
  /** The objective values, one per direction. */
  readonly values?: readonly number[];
  /** Default 'COMPLETE'. A PRUNED trial may omit its value; a FAIL trial has none. */
  readonly state?: 'COMPLETE' | 'PRUNED' | 'FAIL';
  readonly intermediateValues?: Readonly<Record<number, number>>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
}

/** An AddTrialSpec checked against the study: internal values with their distributions, and how it ends. */
export interface CheckedTrial {
  readonly params: Readonly<Record<string, { readonly value: number; readonly distribution: Distribution }>>;
  readonly external: Readonly<Record<string, ParamValue>>;
  readonly outcome: Outcome;
  readonly intermediateValues: Readonly<Record<number, number>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
}

const STATES = ['COMPLETE', 'PRUNED', 'FAIL'] as const;

/** Checks a spec, naming the field at fault and the fix; nothing is stored until it passes. */
export function checkAddTrialSpec(spec: AddTrialSpec, known: ReadonlyMap<string, Distribution>, nDirections: number, where = 'addTrial'): CheckedTrial {
  if (spec === null || typeof spec !== 'object') throw new InvalidOptionError(`${where}: expected an object such as { params: { x: 1.5 }, value: 0.3 }`);
  const state = spec.state ?? 'COMPLETE';
  if (!STATES.includes(state)) {
    throw new InvalidOptionError(`${where}: state must be 'COMPLETE', 'PRUNED' or 'FAIL', got ${JSON.stringify(state)}; use enqueueTrial(params) for a trial still to run`);
  }
  if (spec.params === null || typeof spec.params !== 'object' || Array.isArray(spec.params)) {
    throw new InvalidOptionError(`${where}: params must be an object of parameter values, e.g. { lr: 0.01, layers: 2 }`);
  }
  const given = spec.distributions ?? {};
  for (const name in given) {
    if (!(name in spec.params)) throw new InvalidOptionError(`${where}: distributions has '${name}', which params does not; give its value in params or drop the distribution`);
  }
  const params: Record<string, { value: number; distribution: Distribution }> = {};
  const external: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(spec.params)) {
    const distribution = given[name] !== undefined ? checkedDistribution(name, given[name], where) : known.get(name);
    if (distribution === undefined) {
      throw new InvalidOptionError(
        `${where}: param '${name}' has no distribution and no earlier trial of the study has it; pass distributions: { ${name}: floatDistribution('${name}', low, high) } (or intDistribution / categoricalDistribution)`,
      );
    }
    let internal: number;
    try {
      internal = toInternal(distribution, value);
    } catch (error) {
      throw new InvalidOptionError(`${where}: param '${name}' = ${JSON.stringify(value)} does not fit ${describeDistribution(distribution)}: ${(error as Error).message}`);
    }
    if (!contains(distribution, internal)) {
      throw new InvalidOptionError(`${where}: param '${name}' = ${JSON.stringify(value)} is outside ${describeDistribution(distribution)}; fix the value or widen the distribution`);
    }
    params[name] = { value: internal, distribution };
    external[name] = value;
  }
  const intermediateValues: Record<number, number> = {};
  for (const [step, v] of Object.entries(spec.intermediateValues ?? {})) {
    if (!/^\d+$/.test(step) || typeof v !== 'number') throw new InvalidOptionError(`${where}: intermediateValues must map whole-number steps to numbers, got ${step}: ${JSON.stringify(v)}`);
    intermediateValues[Number(step)] = v;
  }
  for (const key of ['userAttrs', 'systemAttrs'] as const) {
    const attrs = spec[key];
    if (attrs !== undefined && (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs) || !isJsonValue(attrs))) {
      throw new InvalidOptionError(`${where}: ${key} must be an object of JSON-safe values`);
    }
  }
  return {
    params,
    external,
    outcome: { state, values: checkedValues(spec, state, nDirections, intermediateValues, where), failReason: undefined },
    intermediateValues,
    userAttrs: spec.userAttrs ?? {},
    systemAttrs: spec.systemAttrs ?? {},
  };
}

function checkedValues(spec: AddTrialSpec, state: 'COMPLETE' | 'PRUNED' | 'FAIL', nDirections: number, intermediate: Readonly<Record<number, number>>, where: string): number[] | undefined {
  if (spec.value !== undefined && spec.values !== undefined) throw new InvalidOptionError(`${where}: give value or values, not both`);
  const values = spec.values !== undefined ? [...spec.values] : spec.value !== undefined ? [spec.value] : undefined;
  if (state === 'FAIL') {
    if (values !== undefined) throw new InvalidOptionError(`${where}: a FAIL trial has no value; drop value/values or set state 'COMPLETE'`);
    return undefined;
  }
  if (values === undefined) {
    if (state === 'COMPLETE') throw new InvalidOptionError(`${where}: a COMPLETE trial needs ${nDirections === 1 ? 'value' : `values (${nDirections} numbers, one per direction)`}`);
    // A pruned trial is ranked by its last report, as one pruned by a pruner.
    const last = lastIntermediate({ intermediateValues: intermediate });
    return last !== undefined && Number.isFinite(last.value) && nDirections === 1 ? [last.value] : undefined;
  }
  if (values.length !== nDirections) throw new InvalidOptionError(`${where}: ${values.length} value(s) given but the study has ${nDirections} direction(s)`);
  values.forEach((v, i) => {
    if (typeof v !== 'number') throw new InvalidOptionError(`${where}: ${spec.values !== undefined ? `values[${i}]` : 'value'} must be a number, got ${describeValue(v)}`);
    if (!Number.isFinite(v)) throw new InvalidOptionError(`${where}: ${spec.values !== undefined ? `values[${i}]` : 'value'} is ${String(v)}; objective values must be finite numbers`);
  });
  return values;
}

/** A user-given distribution, rebuilt through the factories so a hand-written one gets their checks. */
function checkedDistribution(name: string, d: Distribution, where: string): Distribution {
  try {
    switch (d?.kind) {
      case 'float':
        return floatDistribution(name, d.low, d.high, { log: d.log, ...(d.step !== null && d.step !== undefined && { step: d.step }) });
      case 'int':
        return intDistribution(name, d.low, d.high, { log: d.log, step: d.step });
      case 'categorical':
        return categoricalDistribution(name, d.choices);
      default:
        break;
    }
  } catch (error) {
    if (error instanceof TunelabError) throw new InvalidOptionError(`${where}: distributions.${name}: ${error.message}`);
    throw error;
  }
  throw new InvalidOptionError(`${where}: distributions.${name} is not a distribution; build it with floatDistribution, intDistribution or categoricalDistribution`);
}

/** Checks every spec before any is stored; an error names the spec's index. */
export function checkAddTrialSpecs(specs: readonly AddTrialSpec[], known: ReadonlyMap<string, Distribution>, nDirections: number): CheckedTrial[] {
  if (!Array.isArray(specs)) throw new InvalidOptionError('addTrials(trials): expected an array of { params, value } objects');
  // A distribution given in one spec serves the specs after it, as a suggested one would.
  const seen = new Map(known);
  return specs.map((spec, i) => {
    const checked = checkAddTrialSpec(spec, seen, nDirections, `addTrials: trial ${i} of ${specs.length}`);
    for (const [name, p] of Object.entries(checked.params)) if (!seen.has(name)) seen.set(name, p.distribution);
    return checked;
  });
}

/** What storeAddedTrial needs of the study. */
export interface AddTrialHost {
  readonly storage: Storage;
  readonly studyId: StudyId;
  readonly sampler: Sampler;
  readonly view: StudyView;
  /** Keeps the stored trial in the study's view and tells the sampler, as for a told trial. */
  record(before: FrozenTrial, outcome: Outcome, completedAt: Date, finishing: Finishing): FrozenTrial;
}

/** Stores a checked trial: created, then given its params and result in one patch. */
export async function storeAddedTrial(host: AddTrialHost, checked: CheckedTrial): Promise<FrozenTrial> {
  const created = await host.storage.createTrial(host.studyId, { state: 'RUNNING', userAttrs: checked.userAttrs, systemAttrs: checked.systemAttrs });
  const internalParams: Record<string, number> = {};
  const distributions: Record<string, Distribution> = {};
  for (const [name, p] of Object.entries(checked.params)) {
    internalParams[name] = p.value;
    distributions[name] = p.distribution;
  }
  const before: FrozenTrial = { ...created, params: checked.external, internalParams, distributions, intermediateValues: checked.intermediateValues };
  // Constraints the caller gives are kept; otherwise the sampler computes them as for its own trials.
  const finishing = CONSTRAINTS_KEY in checked.systemAttrs ? NO_FINISHING : samplerFinishing(host.sampler, host.view, before, checked.outcome);
  const completedAt = new Date();
  const patch: DraftPatch = { params: checked.params, intermediateValues: checked.intermediateValues };
  fillFinishPatch(patch, checked.outcome, finishing, completedAt);
  try {
    await host.storage.updateTrial(created.trialId, patch);
  } catch (error) {
    // Not left RUNNING: a process that loads the study later would take it for a dead worker's trial.
    const failReason = `addTrial could not store it: ${(error as Error).message}`;
    await host.storage.updateTrial(created.trialId, { state: 'FAIL', systemAttrs: { failReason } }).catch(() => undefined);
    throw error;
  }
  return host.record(before, checked.outcome, completedAt, finishing);
}

/** A wrong-typed value as a user would write it: `string '1'`, `boolean true`, `null`. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `string ${JSON.stringify(v).replace(/^"|"$/g, "'")}`;
  if (typeof v === 'bigint') return `bigint ${v}n`;
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return `${typeof v} ${String(v)}`;
}
