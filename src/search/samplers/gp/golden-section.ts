/**
 * Golden-section search for the maximum of a unimodal f on [low, high]: returns the final bracket
 * [a, b] (narrower than `tolerance`), so a caller on a grid can compare the points near it.
 */
export function goldenSectionMaximize(f: (x: number) => number, low: number, high: number, tolerance: number): [number, number] {
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = low;
  let b = high;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = f(d);
    }
  }
  return [a, b];
}
