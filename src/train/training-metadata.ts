import { z } from 'zod';
import { supervisesReadouts } from './size-supervision.js';

/**
 * The `training` metadata string of a checkpoint written by `csfnet train`: how it was trained.
 * Read back by `csfnet evaluate`, which scores the size and growth readouts of a checkpoint
 * trained to carry them. Checkpoints from elsewhere, or from before the weights were recorded,
 * have none of these fields: their readouts are not scored.
 */
const TrainingMetadata = z.object({
  epochs: z.number().int().nonnegative(),
  best_epoch: z.number().int().nonnegative(),
  val_auc: z.number().nullable(),
  seed: z.number().int(),
  code: z.string(),
  size_weight: z.number().nonnegative().default(0),
  growth_weight: z.number().nonnegative().default(0),
  clinical_dropout: z.number().min(0).max(1).default(0),
  clinical_warmup: z.number().int().nonnegative().default(0),
});
export type TrainingMetadata = z.infer<typeof TrainingMetadata>;

export function trainingMetadataString(m: TrainingMetadata): string {
  return JSON.stringify(m);
}

/** The checkpoint's training record, or null where it has none or one this version cannot read. */
export function readTrainingMetadata(metadata: Readonly<Record<string, string>>): TrainingMetadata | null {
  const text = metadata['training'];
  if (text === undefined) return null;
  try {
    const parsed = TrainingMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether a checkpoint was trained with size or growth supervision, so its readouts mean something. */
export function carriesReadouts(m: TrainingMetadata | null): boolean {
  return m !== null && supervisesReadouts({ sizeWeight: m.size_weight, growthWeight: m.growth_weight });
}
