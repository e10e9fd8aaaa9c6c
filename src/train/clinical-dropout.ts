import type { CsfNet } from '../model/index.js';
import { MODEL_PARTS } from '../model/index.js';
import { Tensor } from '../tensor/index.js';
import type { Rng } from '../util/random.js';

/**
 * The share of training samples whose clinical data is hidden in this epoch (0-based): every
 * sample during the warm-up's first `clinicalWarmup` epochs, then `clinicalDropout`.
 *
 * Why a warm-up: with the clinical data visible from the first step, the classifier can fit the
 * training labels through the clinical branch before the image branch has learned anything, and in
 * the failing fold described below the image branch never recovered. In a replay of that fold with the first
 * 3 of 8 epochs on images alone it scored 0.719 (0.664 without), and the other folds were not hurt
 * (0.821 and 0.794 against 0.813 and 0.774). Cross-validated with 16 epochs, CSF-Net then beat
 * single-t1 on two 600-subject cohorts (README, "What the networks make of it").
 */
export function hiddenShare(epoch: number, o: { clinicalDropout: number; clinicalWarmup: number }): number {
  return epoch < o.clinicalWarmup ? 1 : o.clinicalDropout;
}

/**
 * Modality dropout of the clinical data, a training option that departs from the paper: each
 * training sample's clinical vector is hidden (multiplied by 0) with probability p, so the
 * classifier cannot lean on the clinical branch alone and must keep the image branch alive.
 * Kept samples see the clinical vector unscaled, as at evaluation, where nothing is hidden.
 *
 * Why: in one fold of the 600-subject demo cohort CSF-Net scored 0.664 while no-clinical's
 * validation AUC in that fold was 0.78: the image vector had half the spread of the other folds and
 * only 34 of 128 units of ReLU(fusion.fi1) fired on test subjects (86 and 74 elsewhere). With p 0.5
 * and one stream of draws that fold scored 0.735 and 77 units fired; with this module's stream it
 * stayed at 0.660, so the option helps unreliably (README, "What the networks make of it").
 * It applies to every network with both branches: csfnet, single-t1 and concat-fusion.
 *
 * Returns the (B, 1) factors for CsfNet.forward's clinicalKeep, or undefined when nothing is
 * dropped: p is 0, or the model lacks one of the two branches; p 1 hides every sample (the
 * warm-up of hiddenShare). The draws come from `rng`, which the trainer forks per batch for this
 * purpose alone, so other random streams do not move.
 */
export function clinicalKeep(model: CsfNet, batchSize: number, p: number, rng: Rng): Tensor | undefined {
  const parts = MODEL_PARTS[model.config.model];
  if (p <= 0 || !parts.image || !parts.clinical) return undefined;
  const keep = new Float32Array(batchSize);
  if (p < 1) for (let i = 0; i < batchSize; i++) keep[i] = rng.uniform() < p ? 0 : 1;
  return new Tensor(keep, [batchSize, 1]);
}
