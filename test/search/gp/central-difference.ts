/** (f(x + h·e_d) − f(x − h·e_d)) / 2h: the reference the GP's analytic gradients are checked against. */
export function centralDifference(f: (x: Float64Array) => number, x: Float64Array, d: number, h = 1e-6): number {
  const up = Float64Array.from(x);
  const down = Float64Array.from(x);
  up[d] = (up[d] as number) + h;
  down[d] = (down[d] as number) - h;
  return (f(up) - f(down)) / (2 * h);
}
