/**
 * One-time notices from deep inside tunelab (e.g. which TF.js backend runs), kept out of a
 * program's or a notebook cell's stdout: they go to stderr, or to the sink the render layer sets
 * (in a tslab kernel, a muted line in the cell's output rather than red stderr text).
 */
export type NoticeSink = (text: string) => boolean;

const seen = new Set<string>();
let sink: NoticeSink | undefined;

/** Replaces where notices go; a sink returns false to let a notice fall through to stderr. */
export function setNoticeSink(next: NoticeSink | undefined): void {
  sink = next;
}

/** Shows `text` once per process (the same text again is dropped). */
export function notice(text: string): void {
  if (seen.has(text)) return;
  seen.add(text);
  if (sink?.(text) === true) return;
  process.stderr.write(`${text}\n`);
}
