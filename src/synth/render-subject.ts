import { join } from 'node:path';
import { IDENTITY_DIRECTION } from '../imaging/volume.js';
import type { Volume } from '../imaging/volume.js';
import { writeDicomSeries } from '../imaging/dicom-write.js';
import { writeNifti } from '../imaging/nifti-write.js';
import type { SynthConfig } from './synth-config.js';
import { planSubject } from './subject-plan.js';
import type { PlannedScan, SubjectPlan } from './subject-plan.js';
import { buildScene } from './scene.js';
import { renderScan } from './render-scan.js';
import { addCtNoise } from './ct-noise.js';
import { dicomUid } from './dicom-uid.js';

/** YYYYMMDD of a synthetic calendar: T0 of every subject on 2001-01-01, later scans `days` after. */
export function studyDate(days: number): string {
  return new Date(Date.UTC(2001, 0, 1) + days * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** Path of a scan's image relative to the cohort folder. */
export function imagePath(subjectId: string, scan: PlannedScan): string {
  return scan.format === 'dicom' ? `${subjectId}/${scan.timepoint}/` : `${subjectId}/${scan.timepoint}.nii.gz`;
}

function writeScan(outDir: string, seed: number, plan: SubjectPlan, scan: PlannedScan, volume: Volume): void {
  const target = join(outDir, imagePath(plan.subjectId, scan));
  if (scan.format === 'nifti') {
    writeNifti(target, volume, { description: `csf-net synthetic CT ${plan.subjectId} ${scan.timepoint}`, gzipLevel: 1 });
    return;
  }
  const name = `csfnet-synth/${seed}/${plan.subjectId}/${scan.timepoint}`;
  writeDicomSeries(target, volume, {
    patientId: plan.subjectId,
    patientSex: plan.clinical.gender === 1 ? 'M' : 'F',
    patientAgeYears: plan.clinical.age + Math.floor(scan.days / 365),
    studyInstanceUid: dicomUid(`${name}/study`),
    seriesInstanceUid: dicomUid(`${name}/series`),
    frameOfReferenceUid: dicomUid(`${name}/frame`),
    studyDate: studyDate(scan.days),
    seriesDescription: `synthetic low-dose chest CT ${scan.timepoint}`,
    rescaleIntercept: scan.geometry.rescaleIntercept,
    synthetic: true,
  });
}

/** Buffers reused from scan to scan (each thread has its own module instance): less garbage to collect. */
let huBuffer = new Float32Array(0);
let int16Buffer = new Int16Array(0);

function buffers(n: number): { hu: Float32Array; data: Int16Array } {
  if (huBuffer.length < n) {
    huBuffer = new Float32Array(Math.ceil(n * 1.25));
    int16Buffer = new Int16Array(huBuffer.length);
  }
  return { hu: huBuffer.subarray(0, n), data: int16Buffer.subarray(0, n) };
}

/**
 * Draws subject `index` and writes its scans under `outDir` (DICOM series folders or .nii.gz files,
 * as its plan says). Returns the plan; the CSV rows are made from plans afterwards.
 */
export function renderSubject(outDir: string, cfg: SynthConfig, seed: number, intercept: number, index: number): SubjectPlan {
  const plan = planSubject(seed, index, cfg, intercept);
  const scene = buildScene(seed, plan);
  const sub = { noduleMm: cfg.scan.noduleSubsampleMm, anatomyMm: cfg.scan.anatomySubsampleMm };
  for (const scan of plan.scans) {
    const g = scan.geometry;
    const buf = buffers(g.shape[0] * g.shape[1] * g.shape[2]);
    const hu = renderScan(scene, scan.nodule, g, sub, buf.hu);
    const data = addCtNoise(hu, g.shape, g.noiseSd, scan.noiseSeed, buf.data);
    writeScan(outDir, seed, plan, scan, { data, shape: g.shape, spacing: g.spacing, origin: g.origin, direction: IDENTITY_DIRECTION });
  }
  return plan;
}
