import { StorageError } from '../errors.js';
import type { Distribution } from '../trial/distributions.js';

/**
 * A distribution as Optuna's distribution_to_json writes it, for every place Optuna reads ours:
 * journal files and the RDB schema on PostgreSQL.
 */
export function distributionToOptunaJson(d: Distribution): string {
  switch (d.kind) {
    case 'float':
      return JSON.stringify({ name: 'FloatDistribution', attributes: { step: d.step, low: d.low, high: d.high, log: d.log } });
    case 'int':
      return JSON.stringify({ name: 'IntDistribution', attributes: { log: d.log, step: d.step, low: d.low, high: d.high } });
    case 'categorical':
      return JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: d.choices } });
  }
}

/**
 * Reads Optuna's distribution JSON, from journal files and the RDB schema alike: the current names
 * and the pre-3.0 ones still found in old studies.
 */
export function distributionFromOptunaJson(text: unknown): Distribution {
  if (typeof text !== 'string') throw new StorageError(`a distribution must be a JSON string, got ${JSON.stringify(text)}`);
  const parsed = JSON.parse(text) as { name?: string; attributes?: Record<string, unknown> };
  const a = parsed.attributes ?? {};
  const num = (key: string): number => {
    const v = a[key];
    if (typeof v !== 'number') throw new StorageError(`${parsed.name ?? 'distribution'} attribute '${key}' must be a number, got ${JSON.stringify(v)}`);
    return v;
  };
  switch (parsed.name) {
    case 'FloatDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: a['log'] === true, step: typeof a['step'] === 'number' ? a['step'] : null };
    case 'UniformDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: false, step: null };
    case 'LogUniformDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: true, step: null };
    case 'DiscreteUniformDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: false, step: num('q') };
    case 'IntDistribution':
      return { kind: 'int', low: num('low'), high: num('high'), log: a['log'] === true, step: typeof a['step'] === 'number' ? a['step'] : 1 };
    case 'IntUniformDistribution':
      return { kind: 'int', low: num('low'), high: num('high'), log: false, step: typeof a['step'] === 'number' ? a['step'] : 1 };
    case 'IntLogUniformDistribution':
      return { kind: 'int', low: num('low'), high: num('high'), log: true, step: 1 };
    case 'CategoricalDistribution': {
      const choices = a['choices'];
      if (!Array.isArray(choices)) throw new StorageError('CategoricalDistribution needs a choices array');
      return { kind: 'categorical', choices };
    }
    default:
      throw new StorageError(`a parameter has distribution ${JSON.stringify(parsed.name)}, which tunelab does not know (it reads Float, Int and Categorical distributions and their pre-3.0 names)`);
  }
}
