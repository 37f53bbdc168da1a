export type TrialState = 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING';
export type Direction = 'minimize' | 'maximize';

export const FINISHED_STATES: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'FAIL'];

export function isFinished(state: TrialState): boolean {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
}
