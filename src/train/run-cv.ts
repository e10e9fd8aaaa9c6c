import { resolve } from 'node:path';
import { loadCohort } from '../cohort/load-cohort.js';
import { defaultStoreDir, preprocessCohort } from '../cohort/preprocess-cohort.js';
import type { PreprocessOptions, PreprocessSummary } from '../cohort/preprocess-cohort.js';
import type { EvaluationResult } from '../eval/evaluation-result.js';
import { evaluateModels } from '../eval/evaluate-models.js';
import { writeReport } from '../eval/write-report.js';
import type { FusedPooling, ModelName, PatchNormalization, VariantName } from '../model/index.js';
import { Registry } from '../store/index.js';
import { ConfigError } from '../util/errors.js';
import { codeVersion } from './code-version.js';
import type { CvHooks, CvResult } from './cross-validate.js';
import { crossValidate } from './cross-validate.js';
import { describeTraining } from './describe-training.js';
import { loadSamples } from './load-samples.js';
import type { TrainOptions } from './trainer.js';

export interface RunCvOptions {
  cohortDir: string;
  storeDir?: string;
  outDir: string;
  registryPath: string;
  folds: number;
  seed: number;
  variant: VariantName;
  models: readonly ModelName[];
  rules: boolean;
  clinicalColumns?: readonly string[];
  validationFraction: number;
  normalization: PatchNormalization;
  pooling?: FusedPooling;
  train: Omit<TrainOptions, 'seed' | 'statePath' | 'resume'>;
  bootstrapResamples?: number;
  title?: string;
}

export interface RunCvHooks extends CvHooks {
  onPreprocess?: PreprocessOptions['onProgress'];
  onStage?: (stage: string) => void;
}

export interface RunCvOutcome {
  runId: number;
  preprocess: PreprocessSummary;
  cv: CvResult;
  evaluation: EvaluationResult;
  files: string[];
  subjects: number;
  skipped: Array<{ id: string; reason: string }>;
}

/**
 * The whole comparison a user comes for: preprocess the cohort (reusing unchanged patches), load
 * its labelled subjects, cross-validate every model and the clinical rules on the same folds,
 * evaluate with bootstrap intervals and DeLong tests against CSF-Net, write the report, and record
 * everything in the registry (a failure marks the run failed, with the reason).
 */
export async function runCrossValidation(o: RunCvOptions, hooks: RunCvHooks = {}): Promise<RunCvOutcome> {
  const storeDir = resolve(o.storeDir ?? defaultStoreDir(o.cohortDir));
  hooks.onStage?.('preprocessing');
  const preprocess = await preprocessCohort(o.cohortDir, { out: storeDir, ...(hooks.onPreprocess ? { onProgress: hooks.onPreprocess } : {}) });
  const cohort = loadCohort(o.cohortDir);
  const loaded = loadSamples(cohort, storeDir, o.clinicalColumns ? { columns: o.clinicalColumns } : {});
  if (loaded.samples.length < o.folds * 2) throw new ConfigError(`${loaded.samples.length} usable labelled subjects are too few for ${o.folds}-fold cross-validation`);
  const registry = Registry.open(o.registryPath);
  const config = { ...o, registryPath: undefined, clinical: loaded.schema.columns };
  const runId = registry.startRun({ kind: 'cv', config, codeVersion: codeVersion(), seed: o.seed, cohort: resolve(o.cohortDir) });
  try {
    hooks.onStage?.('training');
    const categories = loaded.schema.vocab.map((v) => v.length);
    const cv = crossValidate(loaded.samples, { ...o, categories }, hooks, { registry, runId });
    hooks.onStage?.('evaluating');
    const reference = o.models.includes('csfnet') ? 'csfnet' : o.models[0] ?? cv.models[0]!.name;
    const notes = [...cv.notes, ...loaded.skipped.map((s) => `Subject ${s.id} was left out: ${s.reason}.`)];
    const evaluation = evaluateModels(cv.models, {
      title: o.title ?? `Cross-validation of ${o.models.join(', ')} on ${cohort.dir}`,
      referenceModel: reference,
      seed: o.seed,
      ...(o.bootstrapResamples ? { resamples: o.bootstrapResamples } : {}),
      notes,
      training: describeTraining(o),
    });
    registry.addMetrics(runId, evaluation.models.flatMap((m) => Object.entries(m.pooled.metrics).map(([name, iv]) => ({ model: m.name, scope: 'pooled', name, value: iv.value, lo: iv.lower, hi: iv.upper }))));
    const files = await writeReport(evaluation, o.outDir);
    registry.finishRun(runId, { status: 'done', reportDir: resolve(o.outDir) });
    return { runId, preprocess, cv, evaluation, files, subjects: loaded.samples.length, skipped: loaded.skipped };
  } catch (err) {
    registry.finishRun(runId, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    registry.close();
  }
}
