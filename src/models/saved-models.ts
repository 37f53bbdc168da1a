import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from '../tf/module.js';
import type { Study } from '../study/study.js';
import type { JsonValue } from '../util/json.js';

/** What identifies a saved model: the trial it replays and the dataset it was trained on. */
export interface SavedModelTag {
  readonly family: string;
  readonly trialNumber: number;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly fingerprint: string;
}

/** A model's topology and weights in memory (tf.io's ModelArtifacts), with the tag it was saved under. */
export interface SavedModel {
  readonly tag: SavedModelTag;
  readonly artifacts: Tf.io.ModelArtifacts;
}

/** `<storage directory>/models/<study name>` for a LevelDB study; undefined for storages without a directory. */
export function modelDirOf(study: Study): string | undefined {
  const dir = (study.storage as { readonly directory?: unknown }).directory;
  return typeof dir === 'string' ? join(dir, 'models', encodeURIComponent(study.name)) : undefined;
}

/** The model's artifacts, taken with tf.io's save handler (no file system needed). */
export async function captureModel(tf: TfModule, model: Tf.LayersModel, tag: SavedModelTag): Promise<SavedModel> {
  let captured: Tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('tf.io did not hand over the model artifacts');
  return { tag, artifacts: captured };
}

function weightBytes(data: Tf.io.WeightData | undefined, tf: TfModule): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/**
 * Writes model.json (TF.js's layers-model format, with our tag in userDefinedMetadata) and
 * weights.bin; each file goes to a temporary name first and is renamed, so a crash never leaves a
 * half-written model that would load.
 */
export async function writeSavedModel(tf: TfModule, dir: string, saved: SavedModel): Promise<void> {
  await mkdir(dir, { recursive: true });
  const a = saved.artifacts;
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
    userDefinedMetadata: { tunelab: saved.tag },
  };
  const tmp = `.tmp-${process.pid}-${Date.now()}`;
  await writeFile(join(dir, `weights.bin${tmp}`), new Uint8Array(weightBytes(a.weightData, tf)));
  await writeFile(join(dir, `model.json${tmp}`), JSON.stringify(json));
  await rename(join(dir, `weights.bin${tmp}`), join(dir, 'weights.bin'));
  await rename(join(dir, `model.json${tmp}`), join(dir, 'model.json'));
}

/** The saved model in `dir`, or undefined when there is none (or it cannot be read). */
export async function readSavedModel(dir: string): Promise<SavedModel | undefined> {
  let json: { modelTopology?: unknown; format?: string; generatedBy?: string; convertedBy?: string | null; weightsManifest?: Array<{ weights: Tf.io.WeightsManifestEntry[] }>; userDefinedMetadata?: { tunelab?: SavedModelTag } };
  let weights: Buffer;
  try {
    json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as typeof json;
    weights = await readFile(join(dir, 'weights.bin'));
  } catch {
    return undefined;
  }
  const tag = json.userDefinedMetadata?.tunelab;
  if (!tag || !json.modelTopology) return undefined;
  const artifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest?.[0]?.weights ?? [],
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    ...(json.format !== undefined && { format: json.format }),
    ...(json.generatedBy !== undefined && { generatedBy: json.generatedBy }),
  } as Tf.io.ModelArtifacts;
  return { tag, artifacts };
}

export function sameTag(a: SavedModelTag, b: SavedModelTag): boolean {
  return a.family === b.family && a.trialNumber === b.trialNumber && a.fingerprint === b.fingerprint && JSON.stringify(a.params) === JSON.stringify(b.params);
}

/** A saved model as a LayersModel again. */
export function restoreModel(tf: TfModule, saved: SavedModel): Promise<Tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(saved.artifacts));
}
