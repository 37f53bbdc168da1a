import type { Distribution } from '../search/distributions.js';

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
