import { InvalidOptionError } from '../../../errors.js';

/** The random numbers a crossover draws: uniform on [0, 1) and standard normal. */
export interface RandomSource {
  next(): number;
  normal(): number;
}

/**
 * How NSGA-II makes a child of its parents' numeric parameters. Points are in the unit cube the
 * sampler maps the search space to (log ranges in log space, each grid value an equal cell), so
 * every dimension weighs the same whatever its units. A child may fall outside the cube: the sampler
 * then draws other parents and tries again, as Optuna does.
 */
export interface Crossover {
  /** Its name in the sampler's print form, e.g. 'sbx'. */
  readonly name: string;
  /** How many parents a child takes. */
  readonly nParents: number;
  /** The child of `parents` (nParents points of the same length); `multiObjective` picks a default η where one depends on it. */
  cross(parents: readonly Float64Array[], random: RandomSource, multiObjective: boolean): Float64Array;
}

/** Each parameter from one of two parents at random: Optuna's default, and the one the sampler uses unless told. */
export class UniformCrossover implements Crossover {
  readonly name = 'uniform';
  readonly nParents = 2;
  /** Chance that a parameter keeps the first parent's value (Optuna's convention; at the default 0.5 it does not matter). */
  readonly swappingProb: number;
  constructor(options: { readonly swappingProb?: number } = {}) {
    this.swappingProb = probability('UniformCrossover', 'swappingProb', options.swappingProb ?? 0.5);
  }
  cross(parents: readonly Float64Array[], random: RandomSource): Float64Array {
    const [a, b] = two(parents);
    return a.map((v, i) => (random.next() >= this.swappingProb ? (b[i] as number) : v));
  }
}

/** Blend crossover (Eshelman and Schaffer 1993): uniform on each dimension's parent range widened by α of it each side. */
export class BLXAlphaCrossover implements Crossover {
  readonly name = 'blx-alpha';
  readonly nParents = 2;
  readonly alpha: number;
  constructor(options: { readonly alpha?: number } = {}) {
    this.alpha = nonNegative('BLXAlphaCrossover', 'alpha', options.alpha ?? 0.5);
  }
  cross(parents: readonly Float64Array[], random: RandomSource): Float64Array {
    const [a, b] = two(parents);
    const u = draws(a.length, random);
    return a.map((v, i) => {
      const lo = Math.min(v, b[i] as number);
      const hi = Math.max(v, b[i] as number);
      const low = lo - this.alpha * (hi - lo);
      const high = hi + this.alpha * (hi - lo);
      return (high - low) * (u[i] as number) + low;
    });
  }
}

/**
 * Simulated binary crossover (Deb and Agrawal 1995) with the bounded spread of Deb's NSGA-II code:
 * two children per dimension, spread by η (larger stays closer to the parents), and each dimension
 * takes one of the children or one of the parents with equal chance.
 */
export class SBXCrossover implements Crossover {
  readonly name = 'sbx';
  readonly nParents = 2;
  /** Distribution index; default 20 with several objectives, 2 with one (Optuna's). */
  readonly eta: number | undefined;
  constructor(options: { readonly eta?: number } = {}) {
    this.eta = options.eta === undefined ? undefined : nonNegative('SBXCrossover', 'eta', options.eta);
  }
  cross(parents: readonly Float64Array[], random: RandomSource, multiObjective: boolean): Float64Array {
    const eta = this.eta ?? (multiObjective ? 20 : 2);
    const spread = (us: number, alpha: number): number => (us > 1 / alpha ? (1 / (2 - us * alpha)) ** (1 / (eta + 1)) : (us * alpha) ** (1 / (eta + 1)));
    return pairCross(parents, random, (us, x, y) => {
      const lo = Math.min(x, y);
      const hi = Math.max(x, y);
      const diff = Math.max(hi - lo, 1e-10);
      // The bounds are the unit cube's: 0 and 1.
      const alpha1 = 2 - (1 + (2 * (lo - 0)) / diff) ** -(eta + 1);
      const alpha2 = 2 - (1 + (2 * (1 - hi)) / diff) ** -(eta + 1);
      return [0.5 * (lo + hi - spread(us, alpha1) * diff), 0.5 * (lo + hi + spread(us, alpha2) * diff)];
    });
  }
}

/** Vector-wise SBX (Ono et al.): SBX's spread applied to the parents as vectors, without the bounds. */
export class VSBXCrossover implements Crossover {
  readonly name = 'vsbx';
  readonly nParents = 2;
  readonly eta: number | undefined;
  constructor(options: { readonly eta?: number } = {}) {
    this.eta = options.eta === undefined ? undefined : nonNegative('VSBXCrossover', 'eta', options.eta);
  }
  cross(parents: readonly Float64Array[], random: RandomSource, multiObjective: boolean): Float64Array {
    const eta = this.eta ?? (multiObjective ? 20 : 2);
    return pairCross(parents, random, (us, x, y) => {
      const b1 = ((1 / 2) * us) ** (1 / (eta + 1));
      const b2 = ((1 / 2) * (1 - us)) ** (1 / (eta + 1));
      if (us > 0.5) return [0.5 * ((1 - b1) * x + (1 + b1) * y), 0.5 * (-(1 - b2) * x + (3 - b2) * y)];
      return [0.5 * ((1 + b1) * x + (1 - b1) * y), 0.5 * ((3 - b2) * x - (1 - b2) * y)];
    });
  }
}

/** Simplex crossover (Tsutsui et al. 1999): a point of the parents' simplex expanded by ε about its centroid. */
export class SPXCrossover implements Crossover {
  readonly name = 'spx';
  readonly nParents = 3;
  /** Expansion; default √(dimensions + 2). */
  readonly epsilon: number | undefined;
  constructor(options: { readonly epsilon?: number } = {}) {
    this.epsilon = options.epsilon === undefined ? undefined : nonNegative('SPXCrossover', 'epsilon', options.epsilon);
  }
  cross(parents: readonly Float64Array[], random: RandomSource): Float64Array {
    const k = parents.length;
    const n = (parents[0] as Float64Array).length;
    const centroid = new Float64Array(n);
    for (const p of parents) for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (p[i] as number) / k;
    const r = draws(k - 1, random).map((u, j) => u ** (1 / (j + 1)));
    const epsilon = this.epsilon ?? Math.sqrt(n + 2);
    const expanded = parents.map((p) => p.map((v, i) => (centroid[i] as number) + epsilon * (v - (centroid[i] as number))));
    let c = new Float64Array(n);
    for (let j = 1; j < k; j++) {
      const prev = expanded[j - 1] as Float64Array;
      const cur = expanded[j] as Float64Array;
      c = c.map((v, i) => (r[j - 1] as number) * ((prev[i] as number) - (cur[i] as number) + v));
    }
    const last = expanded[k - 1] as Float64Array;
    return last.map((v, i) => v + (c[i] as number));
  }
}

/**
 * Unimodal normal distribution crossover (Ono et al. 1999): normal about the midpoint of the first two
 * parents, along their line with σξ and across it, scaled by the third parent's distance to that line, with ση.
 * As Optuna's, the normal draws' scales are σξ² and ση².
 */
export class UNDXCrossover implements Crossover {
  readonly name = 'undx';
  readonly nParents = 3;
  readonly sigmaXi: number;
  /** Default 0.35 / √dimensions. */
  readonly sigmaEta: number | undefined;
  constructor(options: { readonly sigmaXi?: number; readonly sigmaEta?: number } = {}) {
    this.sigmaXi = nonNegative('UNDXCrossover', 'sigmaXi', options.sigmaXi ?? 0.5);
    this.sigmaEta = options.sigmaEta === undefined ? undefined : nonNegative('UNDXCrossover', 'sigmaEta', options.sigmaEta);
  }
  cross(parents: readonly Float64Array[], random: RandomSource): Float64Array {
    const [x1, x2, x3] = parents as [Float64Array, Float64Array, Float64Array];
    const n = x1.length;
    const sigmaEta = this.sigmaEta ?? 0.35 / Math.sqrt(n);
    const etas = Float64Array.from({ length: n }, () => sigmaEta ** 2 * random.normal());
    const xi = this.sigmaXi ** 2 * random.normal();
    const child = x1.map((v, i) => (v + (x2[i] as number)) / 2 + xi * (v - (x2[i] as number)));
    if (n === 1) return child;
    // The unit vector from x1 to x2, and the distance from x3 to the line through them.
    const v12 = x2.map((v, i) => v - (x1[i] as number));
    const e12 = scale(v12, 1 / Math.max(norm(v12), 1e-10));
    const v13 = x3.map((v, i) => v - (x1[i] as number));
    const along = dot(v13, e12);
    const distance = norm(v13.map((v, i) => v - along * (e12[i] as number)));
    const basis = orthonormalComplement(e12);
    for (let k = 0; k < n - 1; k++) {
      const e = basis[k] as Float64Array;
      for (let i = 0; i < n; i++) child[i] = (child[i] as number) + distance * (etas[k] as number) * (e[i] as number);
    }
    return child;
  }
}

/**
 * n − 1 orthonormal vectors orthogonal to `e` (a unit vector, or zero): the last n − 1 columns of Q in the
 * Householder QR of [e, I₂, …, Iₙ] (the identity when e is zero), with LAPACK's sign convention, so the
 * child equals Optuna's (numpy.linalg.qr) for the same draws rather than only in distribution.
 */
function orthonormalComplement(e: Float64Array): Float64Array[] {
  const n = e.length;
  const a = Array.from({ length: n }, (_, j) => {
    const col = new Float64Array(n);
    col[j] = 1;
    return col;
  });
  if (norm(e) !== 0) a[0] = Float64Array.from(e);
  const reflectors: { v: Float64Array; tau: number; k: number }[] = [];
  for (let k = 0; k < n; k++) {
    const col = a[k] as Float64Array;
    const alpha = col[k] as number;
    let xnorm = 0;
    for (let i = k + 1; i < n; i++) xnorm = Math.hypot(xnorm, col[i] as number);
    // LAPACK's dlarfg: no reflection when the column below the diagonal is already zero.
    if (xnorm === 0) continue;
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const v = new Float64Array(n);
    v[k] = 1;
    for (let i = k + 1; i < n; i++) v[i] = (col[i] as number) / (alpha - beta);
    reflectors.push({ v, tau, k });
    for (let j = k; j < n; j++) reflect(a[j] as Float64Array, v, tau, k);
  }
  // Q = H₀H₁⋯: each column of the identity through the reflections from the last to the first.
  const q: Float64Array[] = [];
  for (let j = 1; j < n; j++) {
    const col = new Float64Array(n);
    col[j] = 1;
    for (let r = reflectors.length - 1; r >= 0; r--) {
      const { v, tau, k } = reflectors[r] as { v: Float64Array; tau: number; k: number };
      reflect(col, v, tau, k);
    }
    q.push(col);
  }
  return q;
}

/** x ← (I − τ v vᵀ) x, where v is zero above row k. */
function reflect(x: Float64Array, v: Float64Array, tau: number, k: number): void {
  let d = 0;
  for (let i = k; i < x.length; i++) d += (v[i] as number) * (x[i] as number);
  for (let i = k; i < x.length; i++) x[i] = (x[i] as number) - tau * d * (v[i] as number);
}

/**
 * SBX's scheme: one uniform draw per dimension makes two children of that dimension's parent values,
 * then each dimension takes one of the two children or one of the two parents with equal chance.
 */
function pairCross(parents: readonly Float64Array[], random: RandomSource, children: (us: number, x: number, y: number) => readonly [number, number]): Float64Array {
  const [a, b] = two(parents);
  const u = draws(a.length, random);
  const pairs = Array.from(a, (x, i) => children(u[i] as number, x, b[i] as number));
  return Float64Array.from(pairs, ([c1, c2], i) => pickOfFour(random, c1, c2, a[i] as number, b[i] as number));
}

function pickOfFour(random: RandomSource, c1: number, c2: number, x1: number, x2: number): number {
  if (random.next() < 0.5) return random.next() < 0.5 ? c1 : c2;
  return random.next() < 0.5 ? x1 : x2;
}

function two(parents: readonly Float64Array[]): [Float64Array, Float64Array] {
  return [parents[0] as Float64Array, parents[1] as Float64Array];
}

function draws(count: number, random: RandomSource): Float64Array {
  return Float64Array.from({ length: count }, () => random.next());
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function scale(a: Float64Array, k: number): Float64Array {
  return a.map((v) => v * k);
}

function probability(owner: string, field: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new InvalidOptionError(`${owner} ${field} must be a probability in [0, 1], got ${String(value)}`);
  return value;
}

function nonNegative(owner: string, field: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new InvalidOptionError(`${owner} ${field} must be a finite number >= 0, got ${String(value)}`);
  return value;
}
