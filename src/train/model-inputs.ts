import type { CsfNet } from '../model/index.js';
import { MODEL_PARTS } from '../model/index.js';

/** Which patches a model reads. */
export function modelInputs(model: CsfNet): { needT0: boolean; needT1: boolean } {
  const parts = MODEL_PARTS[model.config.model];
  return { needT0: parts.t0, needT1: parts.image };
}
