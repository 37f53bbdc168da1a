import type { Trial } from '../../src/index.js';

/** A benchmark objective, defined identically here and in the Python reference below. */
export interface BenchFunction {
  readonly name: string;
  readonly objective: (trial: Trial) => number;
  /** Held back: not in the anchors file, compared with live Optuna only. */
  readonly heldBack: boolean;
}

function floats(trial: Trial, d: number, low: number, high: number): number[] {
  return Array.from({ length: d }, (_, i) => trial.suggestFloat(`x${i}`, low, high));
}

export const FUNCTIONS: readonly BenchFunction[] = [
  {
    name: 'branin',
    heldBack: false,
    objective: (t) => {
      const x1 = t.suggestFloat('x1', -5, 10);
      const x2 = t.suggestFloat('x2', 0, 15);
      const b = 5.1 / (4 * Math.PI ** 2);
      const c = 5 / Math.PI;
      return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    },
  },
  {
    name: 'rosenbrock5',
    heldBack: false,
    objective: (t) => {
      const x = floats(t, 5, -5, 10);
      let s = 0;
      for (let i = 0; i < 4; i++) s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
      return s;
    },
  },
  {
    name: 'sphere10',
    heldBack: true,
    objective: (t) => floats(t, 10, -5.12, 5.12).reduce((s, v) => s + v * v, 0),
  },
  {
    name: 'ackley10',
    heldBack: true,
    objective: (t) => {
      const x = floats(t, 10, -32.768, 32.768);
      const sq = x.reduce((s, v) => s + v * v, 0) / x.length;
      const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / x.length;
      return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
    },
  },
  {
    name: 'mixed',
    heldBack: true,
    objective: (t) => {
      const x = t.suggestFloat('x', -5, 5);
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
      const n = t.suggestInt('n', 1, 20);
      const u = t.suggestInt('u', 1, 1024, { log: true });
      const q = t.suggestFloat('q', 0, 1, { step: 0.1 });
      const c = t.suggestCategorical('c', ['a', 'b', 'c', 'd']);
      const cost = { a: 1, b: 0, c: 0.5, d: 2 }[c];
      return (x - 1.3) ** 2 + (Math.log10(lr) + 2) ** 2 + ((n - 7) / 3) ** 2 + (Math.log2(u) - 5) ** 2 / 4 + (q - 0.3) ** 2 * 4 + cost;
    },
  },
];

/** The same functions for Python Optuna (the reference run beside ours). */
export const PYTHON_FUNCTIONS = `
import math
def floats(t, d, lo, hi):
    return [t.suggest_float(f"x{i}", lo, hi) for i in range(d)]
def branin(t):
    x1 = t.suggest_float("x1", -5, 10); x2 = t.suggest_float("x2", 0, 15)
    b = 5.1 / (4 * math.pi ** 2); c = 5 / math.pi
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10
def rosenbrock5(t):
    x = floats(t, 5, -5, 10)
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))
def sphere10(t):
    return sum(v * v for v in floats(t, 10, -5.12, 5.12))
def ackley10(t):
    x = floats(t, 10, -32.768, 32.768)
    sq = sum(v * v for v in x) / len(x); cs = sum(math.cos(2 * math.pi * v) for v in x) / len(x)
    return -20 * math.exp(-0.2 * math.sqrt(sq)) - math.exp(cs) + 20 + math.e
def mixed(t):
    x = t.suggest_float("x", -5, 5); lr = t.suggest_float("lr", 1e-4, 1, log=True)
    n = t.suggest_int("n", 1, 20); u = t.suggest_int("u", 1, 1024, log=True)
    q = t.suggest_float("q", 0, 1, step=0.1); c = t.suggest_categorical("c", ["a", "b", "c", "d"])
    cost = {"a": 1, "b": 0, "c": 0.5, "d": 2}[c]
    return (x - 1.3) ** 2 + (math.log10(lr) + 2) ** 2 + ((n - 7) / 3) ** 2 + (math.log2(u) - 5) ** 2 / 4 + (q - 0.3) ** 2 * 4 + cost
FUNCTIONS = {"branin": branin, "rosenbrock5": rosenbrock5, "sphere10": sphere10, "ackley10": ackley10, "mixed": mixed}
`;
