import { describe, expect, it } from 'vitest';
import { freeVariables } from '../../src/util/free-variables.js';

describe('freeVariables', () => {
  it('finds variables a function takes from outside, and nothing it declares itself', () => {
    const src = `(trial, ctx) => {
      const { a, b: [c, ...d] = [1], ...rest } = ctx.context;
      let sum = a + c + d.length + Object.keys(rest).length + outerA;
      for (let i = 0; i < 3; i++) sum += i;
      for (const k of [1, 2]) sum += k;
      for (var v in {}) sum += v;
      try { sum += helper(); } catch ({ message }) { sum += message.length; }
      label: for (;;) { break label; }
      function helper() { return hoisted + arguments.length + outerB; }
      var hoisted = 1;
      class Local extends Base { static s = 1; #p = 2; m() { return this.#p + Local.s + outerC; } }
      const obj = { key: 1, [computedKey]: 2, short, method() { return 3; } };
      obj.key = obj.missing.deep;
      ({ a: undeclaredTarget } = obj);
      if (typeof maybeGlobal === 'undefined') sum++;
      return sum + new Local().m() + (x => x * outerD)(2);
    }`;
    expect(freeVariables(src)).toEqual(['Object', 'outerA', 'outerB', 'Base', 'outerC', 'computedKey', 'short', 'undeclaredTarget', 'outerD']);
  });

  it('reads function declarations, async functions and method shorthand', () => {
    expect(freeVariables('function objective(trial) { return objective.length + lr; }')).toEqual(['lr']);
    expect(freeVariables('async function (trial) { await sleep(1); return 0; }'.replace('function (', 'function f('))).toEqual(['sleep']);
    expect(freeVariables('objective(trial) { return trial.number * scale; }')).toEqual(['scale']);
    expect(freeVariables('async (trial) => { for await (const x of gen()) {} return 1; }')).toEqual(['gen']);
  });

  it('handles what tslab compiles a TypeScript cell into (CommonJS, ES2022)', () => {
    // `import * as tf from '@tensorflow/tfjs'` in an earlier cell becomes `tf = __importStar(require(...))`,
    // and a reference inside the objective becomes `tf.` on a module-level binding: a free variable.
    const cellOutput = `(trial, ctx) => {
        const units = trial.suggestInt("units", 4, 64, { log: true });
        const model = tf.sequential();
        const mod = __importStar(require("@tensorflow/tfjs"));
        return units + (0, exports.helper)(units) + mod.version.length;
    }`;
    expect(freeVariables(cellOutput)).toEqual(['tf', '__importStar', 'require', 'exports']);
  });
});
