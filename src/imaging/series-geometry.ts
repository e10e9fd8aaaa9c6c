import { basename } from 'node:path';
import { InputError } from '../util/errors.js';
import type { Vec3 } from './volume.js';

/** What the geometry of a slice stack needs from each slice. */
export interface SlicePlacement {
  readonly file: string;
  readonly rows: number;
  readonly columns: number;
  /** [between rows, between columns] in mm, as PixelSpacing. */
  readonly pixelSpacing: readonly [number, number];
  /** ImagePositionPatient (LPS, mm). */
  readonly position: Vec3;
  /** ImageOrientationPatient: row cosine then column cosine. */
  readonly orientation: readonly number[];
}

export interface SeriesGeometry {
  /** Slice indices in volume order (ascending position along the slice normal). */
  readonly order: readonly number[];
  /** Position of each slice of `order` along the normal, in mm (for reports). */
  readonly positions: readonly number[];
  readonly shape: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly direction: number[];
}

/** Tolerances of the checks (ct-input.md checklist item 2). */
export const SERIES_TOLERANCES = {
  /** Orientation cosines and relative pixel spacing must agree this closely between slices. */
  sameGeometry: 1e-4,
  /** Steps below this (mm) are duplicate positions. */
  duplicateMm: 0.01,
  /** A step above this multiple of the median step is a gap (missing slices). */
  gapFactor: 1.5,
  /** Steps may differ from the median by this fraction (uneven spacing beyond). */
  uneven: 0.01,
  /** Largest in-plane drift of a step, as a fraction of the step, before it is gantry tilt. */
  tilt: 0.002,
} as const;

const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

/**
 * Stacks slices into a volume grid from ImagePositionPatient and ImageOrientationPatient (DICOM
 * PS3.3 C.7.6.2.1.1), never from SliceThickness or SpacingBetweenSlices (a negative
 * SpacingBetweenSlices, as Philips writes, therefore cannot flip the volume).
 *
 * The slice normal is row cosine x column cosine; slices are sorted by the projection of their
 * position on it, so the volume's k axis points along the normal and the origin is the position of
 * the first slice. Voxel axis i runs along the rows (column index, spacing PixelSpacing[1]), j down
 * the columns (spacing PixelSpacing[0]). Every rule of the checklist is an InputError naming the
 * slice file and the rule: "mixed-geometry" (rows, columns, spacing or orientation differ),
 * "orientation-invalid", "too-few-slices", "duplicate-slices", "missing-slices" (a step above 1.5
 * times the median), "uneven-spacing" (a step off the median by more than 1 %), "gantry-tilt"
 * (positions drift in-plane from slice to slice).
 */
export function seriesGeometry(slices: readonly SlicePlacement[], folder: string): SeriesGeometry {
  const tol = SERIES_TOLERANCES;
  if (slices.length < 2) {
    throw new InputError(`${folder}: ${slices.length} slice(s); a volume needs at least 2`, { file: folder, rule: 'too-few-slices' });
  }
  const first = slices[0]!;
  for (const s of slices) {
    const why =
      s.rows !== first.rows || s.columns !== first.columns
        ? `${s.rows}x${s.columns} pixels vs ${first.rows}x${first.columns}`
        : s.pixelSpacing.some((p, n) => Math.abs(p - first.pixelSpacing[n]!) > tol.sameGeometry * first.pixelSpacing[n]!)
          ? `PixelSpacing ${s.pixelSpacing.join('\\')} vs ${first.pixelSpacing.join('\\')}`
          : s.orientation.some((o, n) => Math.abs(o - first.orientation[n]!) > tol.sameGeometry)
            ? `ImageOrientationPatient ${s.orientation.join('\\')} vs ${first.orientation.join('\\')}`
            : undefined;
    if (why !== undefined) {
      throw new InputError(`${s.file}: slice geometry differs from ${first.file} (${why})`, { file: s.file, rule: 'mixed-geometry' });
    }
  }
  const r = first.orientation.slice(0, 3);
  const c = first.orientation.slice(3, 6);
  const dot = r[0]! * c[0]! + r[1]! * c[1]! + r[2]! * c[2]!;
  if (Math.abs(Math.hypot(r[0]!, r[1]!, r[2]!) - 1) > 1e-3 || Math.abs(Math.hypot(c[0]!, c[1]!, c[2]!) - 1) > 1e-3 || Math.abs(dot) > 1e-3) {
    throw new InputError(`${first.file}: ImageOrientationPatient ${first.orientation.join('\\')} is not two orthogonal unit vectors`, {
      file: first.file,
      rule: 'orientation-invalid',
    });
  }
  const n = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
  const along = (p: Vec3): number => p[0] * n[0]! + p[1] * n[1]! + p[2] * n[2]!;
  const order = slices.map((_, k) => k).sort((a, b) => along(slices[a]!.position) - along(slices[b]!.position));
  const positions = order.map((k) => along(slices[k]!.position));
  const steps = positions.slice(1).map((p, k) => p - positions[k]!);
  const name = (k: number): string => slices[order[k]!]!.file;

  steps.forEach((d, k) => {
    if (d < tol.duplicateMm) {
      throw new InputError(`${name(k + 1)}: duplicate slice position ${fmt(positions[k]!)} mm along the normal, also in ${basename(name(k))}`, {
        file: name(k + 1),
        rule: 'duplicate-slices',
      });
    }
  });
  const median = [...steps].sort((a, b) => a - b)[Math.floor((steps.length - 1) / 2)]!;
  const gaps = steps.flatMap((d, k) =>
    d > tol.gapFactor * median ? [`${fmt(positions[k]!)} -> ${fmt(positions[k + 1]!)} mm (${basename(name(k))} -> ${basename(name(k + 1))})`] : [],
  );
  if (gaps.length > 0) {
    const k = steps.findIndex((d) => d > tol.gapFactor * median);
    throw new InputError(`${name(k + 1)}: series has gaps (missing slices) at ${gaps.join('; ')}; the usual step is ${fmt(median)} mm`, {
      file: name(k + 1),
      rule: 'missing-slices',
    });
  }
  const uneven = steps.findIndex((d) => Math.abs(d - median) > tol.uneven * median);
  if (uneven >= 0) {
    throw new InputError(
      `${name(uneven + 1)}: uneven slice spacing: ${fmt(steps[uneven]!)} mm between ${fmt(positions[uneven]!)} and ${fmt(positions[uneven + 1]!)}, the usual step is ${fmt(median)} mm`,
      { file: name(uneven + 1), rule: 'uneven-spacing' },
    );
  }
  for (let k = 0; k < steps.length; k++) {
    const a = slices[order[k]!]!.position;
    const b = slices[order[k + 1]!]!.position;
    const delta = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const lateral = Math.hypot(delta[0]! - steps[k]! * n[0]!, delta[1]! - steps[k]! * n[1]!, delta[2]! - steps[k]! * n[2]!);
    if (lateral > 0.01 + tol.tilt * steps[k]!) {
      const degrees = (Math.atan2(lateral, steps[k]!) * 180) / Math.PI;
      throw new InputError(`${name(k + 1)}: gantry tilt: slice positions drift ${fmt(lateral)} mm in-plane per ${fmt(steps[k]!)} mm step (${fmt(degrees)} degrees)`, {
        file: name(k + 1),
        rule: 'gantry-tilt',
      });
    }
  }
  const o = slices[order[0]!]!.position;
  return {
    order,
    positions,
    shape: [first.columns, first.rows, slices.length],
    spacing: [first.pixelSpacing[1], first.pixelSpacing[0], (positions[positions.length - 1]! - positions[0]!) / (positions.length - 1)],
    origin: [o[0], o[1], o[2]],
    direction: [r[0]!, c[0]!, n[0]!, r[1]!, c[1]!, n[1]!, r[2]!, c[2]!, n[2]!],
  };
}
