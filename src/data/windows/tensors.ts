/** Minimal slice of TensorFlow.js that building window tensors needs (pass the `tf` you use). */
export interface TensorFactory<X, Y> {
  tensor3d(values: Float32Array, shape: [number, number, number], dtype: 'float32'): X;
  tensor2d(values: Float32Array, shape: [number, number], dtype: 'float32'): Y;
}

/** One part's windows as typed arrays: inputs [count × lookback × features], targets [count × horizon]. */
export interface WindowArrays {
  readonly count: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
}

/**
 * The one place windows become tensors: x [count, lookback, features], y [count, horizon]. The
 * tensors view the typed arrays' values (TF.js copies them into its backend), never reshaped here.
 */
export function windowTensors<X, Y>(
  tf: TensorFactory<X, Y>,
  part: WindowArrays,
  shape: { readonly lookback: number; readonly features: number; readonly horizon: number },
): { x: X; y: Y } {
  return {
    x: tf.tensor3d(part.inputs, [part.count, shape.lookback, shape.features], 'float32'),
    y: tf.tensor2d(part.targets, [part.count, shape.horizon], 'float32'),
  };
}
