import { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';
import type { SynthConfig } from './synth-config.js';
import type { ClinicalRecord } from './clinical-model.js';
import { riskScore, sampleClinical, sigmoid } from './clinical-model.js';
import type { NoduleSpec } from './nodule-model.js';
import { sampleNodule } from './nodule-model.js';
import type { Growth } from './growth-model.js';
import { sampleGrowth, sampleIntervalDays } from './growth-model.js';
import type { NoduleAppearance } from './nodule-appearance.js';
import { appearanceAt } from './nodule-appearance.js';
import type { Thorax } from './thorax.js';
import { isUpperLobe, sampleThorax } from './thorax.js';
import { sampleNoduleSite } from './nodule-site.js';
import type { ScanGeometry } from './scan-geometry.js';
import { sampleScanGeometry } from './scan-geometry.js';
import { placedReach } from './solids.js';
import { norm } from './rigid-pose.js';

export type ScanFormat = 'dicom' | 'nifti';

export interface PlannedScan {
  /** T0, T1, T2. */
  readonly timepoint: string;
  readonly days: number;
  readonly format: ScanFormat;
  readonly geometry: ScanGeometry;
  readonly nodule: NoduleAppearance;
  /** Seed of this scan's noise stream. */
  readonly noiseSeed: number;
}

/** Everything drawn for one subject except its images, which render-scan.ts makes from this. */
export interface SubjectPlan {
  readonly index: number;
  readonly subjectId: string;
  readonly clinical: ClinicalRecord;
  /** P(malignant) under the risk model. */
  readonly risk: number;
  readonly label: 0 | 1;
  readonly nodule: NoduleSpec;
  readonly growth: Growth;
  readonly thorax: Thorax;
  /** Nodule centre in the anatomy frame. */
  readonly centre: Vec3;
  readonly upperLobe: boolean;
  /** Largest distance from the centre (mm) the nodule reaches in any scan, spicules included. */
  readonly reachMm: number;
  readonly scans: readonly PlannedScan[];
}

/** Synthetic subject IDs: SYN0001, SYN0002, ... (no real-looking names anywhere). */
export function subjectId(index: number): string {
  return `SYN${String(index + 1).padStart(4, '0')}`;
}

/** The random stream of one subject: depends only on the seed and the subject's index. */
export function subjectRng(seed: number, index: number): Rng {
  return new Rng(seed).fork(`subject:${index}`);
}

/**
 * Draws subject `index` of the cohort with this seed, following the causal model of
 * synth-config.ts: clinical columns, label from the calibrated risk model (intercept from
 * clinical-model.ts calibrateIntercept), nodule given the label, its growth course, its site, and
 * per time point the interval, the nodule's appearance and the scan's pose and grid. Each part
 * draws from its own fork of the subject's stream, so changing one part's draws leaves the others.
 */
export function planSubject(seed: number, index: number, cfg: SynthConfig, intercept: number): SubjectPlan {
  const rng = subjectRng(seed, index);
  const clinical = sampleClinical(rng.fork('clinical'), cfg.clinical);
  const risk = sigmoid(intercept + riskScore(clinical, cfg.risk));
  const label: 0 | 1 = rng.fork('label').bernoulli(risk) ? 1 : 0;
  const nodule = sampleNodule(rng.fork('nodule'), label, cfg.nodule);
  const growth = sampleGrowth(rng.fork('growth'), label, nodule.type, cfg.growth);
  const thorax = sampleThorax(rng.fork('thorax'));
  const timing = rng.fork('timing');
  const days = [0, sampleIntervalDays(timing, cfg.growth)];
  if (timing.bernoulli(cfg.cohort.t2Fraction)) days.push(days[1]! + sampleIntervalDays(timing, cfg.growth));
  const appearAt = (centre: Vec3): NoduleAppearance[] => days.map((d) => appearanceAt(nodule, growth, centre, d, cfg.growth.maxGrowthDiameterMm));
  const reach = Math.max(...appearAt([0, 0, 0]).map(nodeReach));
  const centre = sampleNoduleSite(rng.fork('site'), thorax, {
    upperLobe: nodule.upperLobe,
    juxtapleural: nodule.juxtapleural,
    radiusMm: nodule.diameter0Mm / 2,
    reachMm: reach,
  });
  const appearances = appearAt(centre);
  const scans = days.map((d, t): PlannedScan => {
    const timepoint = `T${t}`;
    const geometry = sampleScanGeometry(rng.fork(`scan:${timepoint}`), cfg.scan, centre, reach);
    return {
      timepoint,
      days: d,
      format: formatOf(cfg.cohort.format, index, t),
      geometry,
      nodule: appearances[t]!,
      noiseSeed: rng.fork(`noise:${timepoint}`).nextUint32(),
    };
  });
  return {
    index,
    subjectId: subjectId(index),
    clinical,
    risk,
    label,
    nodule,
    growth,
    thorax,
    centre,
    upperLobe: isUpperLobe(thorax, centre),
    reachMm: reach,
    scans,
  };
}

/** Largest distance from the nodule's centre that it reaches, spicules included. */
function nodeReach(n: NoduleAppearance): number {
  let r = placedReach(n.body);
  const c = n.body.centre;
  for (const s of n.spicules) {
    r = Math.max(r, norm([s.b[0] - c[0], s.b[1] - c[1], s.b[2] - c[2]]) + s.r1);
  }
  return r;
}

/** 'mixed' alternates formats within each subject: even subjects' T0 is DICOM, odd subjects' T1. */
function formatOf(format: SynthConfig['cohort']['format'], index: number, t: number): ScanFormat {
  if (format !== 'mixed') return format;
  return (index + t) % 2 === 0 ? 'dicom' : 'nifti';
}
