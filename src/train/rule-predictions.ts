import { CLINICAL_RULE_INFO, CLINICAL_RULES, clinicalScores } from '../clinical/clinical-scores.js';
import type { Prediction } from '../eval/evaluation-result.js';
import type { ModelPredictions } from '../eval/evaluate-models.js';
import type { SubjectSample } from './sample.js';

/**
 * The clinical rules as scored models: each subject's score (higher = more suspicious) with the
 * fold it was tested in. Subjects a rule cannot score are counted in `notes`; a rule that scored
 * too few subjects of both classes is left out, with a note.
 */
export function rulePredictions(subjects: ReadonlyArray<{ sample: SubjectSample; fold: number }>, notes: string[]): ModelPredictions[] {
  const out: ModelPredictions[] = [];
  const scores = subjects.map(({ sample }) => (sample.record ? clinicalScores(sample.record) : null));
  for (const rule of CLINICAL_RULES) {
    const predictions: Prediction[] = [];
    const missing: string[] = [];
    subjects.forEach(({ sample, fold }, i) => {
      const score = scores[i]?.[rule].score ?? null;
      if (score === null || !Number.isFinite(score)) missing.push(sample.id);
      else predictions.push({ subjectId: sample.id, fold, label: sample.label, score });
    });
    if (missing.length > 0) notes.push(`${rule} could not score ${missing.length} subject(s) (inputs missing or out of range): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}.`);
    if (new Set(predictions.map((p) => p.label)).size < 2) {
      notes.push(`${rule} is left out of the table: it scored too few subjects of both classes.`);
      continue;
    }
    out.push({ name: rule, description: CLINICAL_RULE_INFO[rule].score, predictions, threshold: CLINICAL_RULE_INFO[rule].threshold });
  }
  return out;
}
