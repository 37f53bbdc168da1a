import type * as Tf from '@tensorflow/tfjs';
import type { ParamValue } from '../../trial/distributions.js';
import type { TfModule } from '../../tf/module.js';
import type { Trial } from '../../trial/trial.js';

export interface InputShape {
  /** Time steps the dataset provides per sample. */
  readonly lookback: number;
  readonly features: number;
  readonly horizon: number;
}

export type FamilyParams = Readonly<Record<string, ParamValue>>;

/** What every family's model is trained with (chosen by the common part of the search space). */
export interface TrainingParams {
  readonly lr: number;
  readonly batchSize: number;
  readonly optimizer: 'adam' | 'rmsprop' | 'sgd';
  readonly l2: number;
  /** Time steps the model sees (the last ones of each window); at most the dataset's lookback. */
  readonly lookback: number;
}

/**
 * A model family: its own search space (define-by-run suggestions) and how to build a model
 * from the chosen params. Register your own with registerModelFamily.
 */
export interface ModelFamily {
  readonly name: string;
  readonly description: string;
  /**
   * Backends whose kernels can train this family, best first; absent means all. (TF.js 4.22's
   * wasm backend has no Conv2DBackpropFilter kernel, so a 1-D CNN cannot train there.)
   */
  readonly backends?: readonly ('tensorflow' | 'wasm' | 'cpu')[];
  /** Suggests the family's own hyperparameters (the training ones are suggested by tunelab). */
  space(trial: Trial, shape: InputShape): FamilyParams;
  /** An uncompiled model for input [lookback, features] → output [horizon]. Layers must use `seed`. */
  build(tf: TfModule, shape: InputShape & { readonly lookback: number }, params: FamilyParams, training: TrainingParams, seed: number): Tf.LayersModel;
}
