import { join } from 'node:path';
import { clinicalScores, CLINICAL_RULES, type ClinicalScore } from '../clinical/clinical-scores.js';
import { volumeDoublingTime, volumeDoublingTimeFromDiameters, type VdtResult } from '../clinical/volume-doubling-time.js';
import { extractPatch } from '../imaging/extract-patch.js';
import { measureNodule, type NoduleMeasurement } from '../imaging/measure-nodule.js';
import { readNifti } from '../imaging/nifti-read.js';
import { writeNifti } from '../imaging/nifti-write.js';
import type { Vec3, Volume } from '../imaging/volume.js';
import { CsfnetError } from '../util/errors.js';
import type { Measurement, Score, StudyResult } from './api-types.js';
import { clinicalRecord, diameterUsed, reliableVolume } from './clinical-inputs.js';
import { TIMEPOINTS, type Timepoint } from './intake-scans.js';
import { runNetwork, type NetworkOutput } from './run-network.js';
import type { StudyInput } from './study-input.js';

export interface PredictTask {
  readonly kind: 'predict';
  readonly studyId: string;
  /** Folder with the study's `t0.nii` and `t1.nii`; the patches and maps are written beside them. */
  readonly studyDir: string;
  readonly input: StudyInput;
  /** Checkpoint file, or null to run everything but the network. */
  readonly checkpoint: string | null;
  /** Threads of the native backend in this worker. */
  readonly threads: number;
}

/** The study result less the links (the server knows its routes), and which Grad-CAM maps were written. */
export type PredictResult = Omit<StudyResult, 'links'> & { readonly cams: Record<Timepoint, boolean> };

const LUNG_RADS_CATEGORY: Readonly<Record<number, string>> = { 1: '1', 2: '2', 3: '3', 4: '4A', 5: '4B' };

/**
 * One prediction job, in a worker process: for T0 and T1 the CSF-Net patch (imaging/extract-patch:
 * 16 x 64 x 64 at 1 mm, HU window [-1200, 600] -> [0, 1]) and the nodule measurement
 * (imaging/measure-nodule); growth and volume doubling time (clinical/volume-doubling-time, from
 * volumes when both segmentations are whole, else from the diameters used); every clinical rule
 * (clinical/clinical-scores: Lung-RADS v2022 with T0 as the prior, Brock 2b, ...); and, with a
 * checkpoint, P(malignant) with Grad-CAM maps (run-network.ts). Patches and maps are written as
 * NIfTI files on the patch grid, placed in the scan's world space, so a viewer overlays them.
 */
export function predictStudy(task: PredictTask): PredictResult {
  const started = performance.now();
  const scans = { t0: readNifti(join(task.studyDir, 't0.nii')), t1: readNifti(join(task.studyDir, 't1.nii')) };
  const centre = (tp: Timepoint): Vec3 => [task.input[tp].x, task.input[tp].y, task.input[tp].z];
  const patches = {} as Record<Timepoint, Volume>;
  const measured = {} as Record<Timepoint, NoduleMeasurement>;
  for (const tp of TIMEPOINTS) {
    patches[tp] = extractPatch(scans[tp], centre(tp), tp.toUpperCase(), tp);
    writeNifti(join(task.studyDir, `${tp}-patch.nii`), patches[tp]);
    measured[tp] = measureNodule(scans[tp], centre(tp));
  }
  const scores = clinicalScores(clinicalRecord(task.studyId, task.input, measured));
  const lungRads = scores['lung-rads'];
  const brock = scores['brock-2b'];

  let network: NetworkOutput | null = null;
  let note: string;
  if (task.checkpoint === null) {
    note = 'no checkpoint was given to the server (csfnet serve --checkpoint FILE): no network prediction; measurements and clinical rules only';
  } else {
    network = runNetwork(task.checkpoint, task.threads, { t0: patches.t0.data as Float32Array, t1: patches.t1.data as Float32Array }, task.input.clinical);
    const p = network.prediction;
    note = `CSF-Net (${p.model}, variant ${p.variant}) from checkpoint ${p.checkpoint}; Grad-CAM on the last encoder stage; ${network.backendLine}`;
    for (const tp of TIMEPOINTS) {
      const map = network.cam[tp];
      if (map) writeNifti(join(task.studyDir, `${tp}-cam.nii`), { ...patches[tp], data: map });
    }
  }
  return {
    prediction: network?.prediction ?? null,
    prediction_note: note,
    measurements: { t0: measurementView(measured.t0, task.input.t0.diameter_mm), t1: measurementView(measured.t1, task.input.t1.diameter_mm) },
    growth: growthView(task.input, measured),
    lung_rads: {
      category: lungRads.score === null ? null : (LUNG_RADS_CATEGORY[lungRads.score] ?? null),
      detail: lungRads.detail,
      assumed: [...lungRads.assumed],
      missing: [...lungRads.missing],
    },
    brock: { p: brock.score, model: 'brock-2b', detail: brock.detail, assumed: [...brock.assumed], missing: [...brock.missing] },
    scores: CLINICAL_RULES.map((r) => scoreView(scores[r])),
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    cams: { t0: network?.cam.t0 != null, t1: network?.cam.t1 != null },
  };
}

function measurementView(m: NoduleMeasurement, given: number | undefined): Measurement {
  const used = diameterUsed(given, m);
  let note: string;
  if (!m.found) note = `nothing above ${m.thresholdHu} HU within 3 mm of the centre: no nodule segmented`;
  else if (m.touchesBorder) {
    note = `the segmentation reaches the border of the ${m.regionMm} mm region (a nodule larger than the region, or joined to a wall or vessel): no automatic diameter, and the volume is only a lower bound, so it is not used`;
  } else note = `threshold ${m.thresholdHu} HU, connected component, measured on a ${m.voxelMm.toFixed(2)} mm grid`;
  if (used.source === 'given') note += '; the diameter given with the upload is used by the rules';
  return {
    found: m.found,
    touches_border: m.touchesBorder,
    volume_mm3: reliableVolume(m) ?? null,
    mean_diameter_mm: m.meanDiameterMm,
    long_axis_mm: m.longAxisMm,
    short_axis_mm: m.shortAxisMm,
    diameter_used_mm: used.mm,
    diameter_source: used.source,
    note,
  };
}

function growthView(input: StudyInput, m: Record<Timepoint, NoduleMeasurement>): StudyResult['growth'] {
  const d0 = diameterUsed(input.t0.diameter_mm, m.t0).mm;
  const d1 = diameterUsed(input.t1.diameter_mm, m.t1).mm;
  const v0 = reliableVolume(m.t0);
  const v1 = reliableVolume(m.t1);
  let vdt: VdtResult | null = null;
  let detail: string;
  try {
    if (v0 !== undefined && v1 !== undefined) vdt = volumeDoublingTime({ days: input.days, volume0Mm3: v0, volume1Mm3: v1 });
    else if (d0 !== null && d1 !== null) vdt = volumeDoublingTimeFromDiameters({ days: input.days, diameter0Mm: d0, diameter1Mm: d1 });
    detail = vdt ? `${vdt.reason} (from ${vdt.method}s over ${input.days} days)` : 'no volume doubling time: neither both volumes nor both diameters are known';
  } catch (err) {
    if (!(err instanceof CsfnetError)) throw err;
    detail = `no volume doubling time: ${err.message}`;
  }
  return {
    days: input.days,
    diameter_change_mm: d0 !== null && d1 !== null ? d1 - d0 : null,
    volume_ratio: v0 !== undefined && v1 !== undefined ? v1 / v0 : null,
    vdt_days: vdt && Number.isFinite(vdt.vdtDays) ? vdt.vdtDays : null,
    vdt_method: vdt?.method ?? null,
    interpretation: vdt?.interpretation ?? null,
    detail,
  };
}

function scoreView(s: ClinicalScore): Score {
  return { rule: s.rule, score: s.score, detail: s.detail, assumed: [...s.assumed], missing: [...s.missing] };
}
