import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';
import type { ScanModel } from './synth-config.js';
import type { Pose } from './rigid-pose.js';
import { anatomyToWorld, rotationFromEulerDeg } from './rigid-pose.js';
import { drawCategorical, truncatedNormal } from './sampling.js';

/** One scan's grid (axes along the scanner's x, y, z: identity direction) and acquisition. */
export interface ScanGeometry {
  readonly pose: Pose;
  readonly shape: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly noiseSd: number;
  /** RescaleIntercept of a DICOM copy: stored value = HU - intercept. */
  readonly rescaleIntercept: number;
}

/** Slice spacings of clinical low-dose reconstructions (mm). */
const SLICE_STEPS = [1, 1.25, 1.5, 2, 2.5] as const;

/** Rounds to a multiple of 1/256 mm, exact in float32 and in a short decimal string. */
function quantize(x: number): number {
  return Math.round(x * 256) / 256;
}

/**
 * Draws one scan's pose and grid around the nodule centre `q` (anatomy frame).
 *
 * The scanner acquires axial slices whatever way the patient lies (no gantry tilt), so the grid's
 * axes are the world axes and the patient is what rotates: world = R q + t with R a small rotation
 * (normal SDs rotationSdDeg about x, y, z, clipped at maxRotationDeg) and t a table shift. Two
 * scans of a subject thus differ by a rigid motion of a few degrees and centimetres, as a patient
 * placed again a year later.
 *
 * In-plane spacing is a reconstruction field of view over 512 pixels (m / 512 mm, m an integer), in
 * the configured range; slice spacing one of 1, 1.25, 1.5, 2, 2.5 mm within its range, drawn with
 * sliceStepWeights. The field of
 * view covers at least `extentMm` (plus a random part of extentJitterMm), centred off the nodule by
 * up to 12 mm in-plane and as much axially as leaves `reachMm` (the nodule's largest radius over
 * all scans, spicules included) plus 4 mm inside the field of view.
 */
export function sampleScanGeometry(rng: Rng, m: ScanModel, q: Vec3, reachMm: number): ScanGeometry {
  const angle = (sd: number): number => truncatedNormal(rng, 0, sd, -m.maxRotationDeg, m.maxRotationDeg);
  const rotation = rotationFromEulerDeg(angle(m.rotationSdDeg[0]), angle(m.rotationSdDeg[1]), angle(m.rotationSdDeg[2]));
  const translation: Vec3 = [rng.range(-m.shiftMm[0], m.shiftMm[0]), rng.range(-m.shiftMm[1], m.shiftMm[1]) + 20, rng.range(-m.shiftMm[2], m.shiftMm[2]) - 180];
  const pose: Pose = { rotation, translation };
  const lo = Math.ceil(m.inPlaneSpacingMm[0] * 512);
  const hi = Math.floor(m.inPlaneSpacingMm[1] * 512);
  const sxy = (lo + rng.int(hi - lo + 1)) / 512;
  const weights = SLICE_STEPS.map((s, i) => (s >= m.sliceSpacingMm[0] && s <= m.sliceSpacingMm[1] ? (m.sliceStepWeights[i] ?? 0) : 0));
  const sz = weights.some((w) => w > 0) ? SLICE_STEPS[drawCategorical(rng, weights)]! : m.sliceSpacingMm[0];
  const extentXy = m.extentMm[0] + rng.range(0, m.extentJitterMm[0]);
  const extentZ = Math.max(m.extentMm[1], 2 * (reachMm + 4)) + rng.range(0, m.extentJitterMm[1]);
  const spacing: Vec3 = [sxy, sxy, sz];
  const nxy = Math.ceil(extentXy / sxy) + 1;
  const nz = Math.ceil(extentZ / sz) + 1;
  const shape: Vec3 = [nxy, nxy, nz];
  const centre = anatomyToWorld(pose, q);
  const offXy = Math.min(12, Math.max(0, extentXy / 2 - reachMm - 4));
  const offZ = Math.min(12, Math.max(0, extentZ / 2 - reachMm - 4));
  const fovCentre: Vec3 = [centre[0] + rng.range(-offXy, offXy), centre[1] + rng.range(-offXy, offXy), centre[2] + rng.range(-offZ, offZ)];
  const corner = (a: 0 | 1 | 2): number => quantize(fovCentre[a] - (spacing[a] * (shape[a] - 1)) / 2);
  const origin: Vec3 = [corner(0), corner(1), corner(2)];
  return {
    pose,
    shape,
    spacing,
    origin,
    noiseSd: rng.range(m.noiseHu[0], m.noiseHu[1]),
    rescaleIntercept: rng.bernoulli(0.5) ? -1024 : 0,
  };
}
