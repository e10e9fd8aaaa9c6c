import { InputError } from '../util/errors.js';
import type { Vec3, Volume } from './volume.js';

/**
 * 4x4 homogeneous voxel-to-world matrices and the conversions between the conventions the readers
 * meet. Row-major, 16 numbers: world = A * [i, j, k, 1].
 *
 * Conventions: DICOM and ITK/MetaImage world coordinates are LPS (x to the patient's left, y to the
 * back, z to the head; DICOM PS3.3 C.7.6.2.1.1); NIfTI world coordinates are RAS (x to the right,
 * y to the front; nifti1.h, "qform/sform" comments). The two differ by negating x and y, so
 * A_ras = diag(-1, -1, 1, 1) * A_lps and the same product converts back.
 */
export type Affine = readonly number[];

/** Voxel-to-world LPS affine of a volume: columns are direction * spacing, the last is the origin. */
export function affineOf(v: Pick<Volume, 'spacing' | 'origin' | 'direction'>): number[] {
  const d = v.direction;
  const s = v.spacing;
  return [
    d[0]! * s[0], d[1]! * s[1], d[2]! * s[2], v.origin[0],
    d[3]! * s[0], d[4]! * s[1], d[5]! * s[2], v.origin[1],
    d[6]! * s[0], d[7]! * s[1], d[8]! * s[2], v.origin[2],
    0, 0, 0, 1,
  ];
}

/** Negates the x and y rows: LPS <-> RAS (the conversion is its own inverse). */
export function flipLpsRas(a: Affine): number[] {
  return a.map((x, n) => (n < 8 ? -x : x));
}

/** Largest |dot product| between two different unit columns tolerated as "orthogonal". */
const ORTHO_TOLERANCE = 1e-3;

/**
 * Splits an LPS voxel-to-world affine into spacing (column norms), a direction matrix with unit
 * columns, and the origin. A zero or non-finite voxel size, or axes that are not orthogonal (shear),
 * is an InputError naming `file`: the Volume type only represents orthonormal directions.
 */
export function geometryFromAffine(
  a: Affine,
  file: string,
): { spacing: Vec3; origin: Vec3; direction: number[] } {
  if (a.length !== 16 || !a.every(Number.isFinite)) {
    throw new InputError(`${file}: the voxel-to-world transform has non-finite entries`, { file, rule: 'affine-finite' });
  }
  const spacing: number[] = [];
  const direction = new Array<number>(9).fill(0);
  for (let c = 0; c < 3; c++) {
    const col = [a[c]!, a[4 + c]!, a[8 + c]!];
    const norm = Math.hypot(col[0]!, col[1]!, col[2]!);
    if (!(norm > 1e-6)) {
      throw new InputError(`${file}: voxel size along axis ${c} is ${norm} mm (must be > 0)`, { file, rule: 'voxel-size-positive' });
    }
    spacing.push(norm);
    for (let r = 0; r < 3; r++) direction[3 * r + c] = col[r]! / norm;
  }
  for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
    let dot = 0;
    for (let r = 0; r < 3; r++) dot += direction[3 * r + p]! * direction[3 * r + q]!;
    if (Math.abs(dot) > ORTHO_TOLERANCE) {
      throw new InputError(`${file}: voxel axes ${p} and ${q} are not orthogonal (cosine ${dot.toFixed(4)}); sheared grids are not supported`, {
        file,
        rule: 'affine-orthogonal',
      });
    }
  }
  return { spacing: [spacing[0]!, spacing[1]!, spacing[2]!], origin: [a[3]!, a[7]!, a[11]!], direction };
}

/** Determinant of a row-major 3x3 matrix. */
export function det3(m: readonly number[]): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

/**
 * NIfTI qform quaternion of an orthonormal row-major 3x3 rotation R (columns = axis directions, RAS).
 * When det(R) < 0 the third column is negated first and qfac = -1 (nifti1.h: "qfac"). The quaternion
 * (a, b, c, d) with a >= 0 follows the standard rotation-matrix-to-quaternion formulas (Shepperd's
 * method: pick the largest of 1+trace, 1+R00-R11-R22, ... to stay numerically stable); NIfTI stores
 * b, c, d and recovers a = sqrt(1 - b^2 - c^2 - d^2).
 */
export function quaternionOf(rotation: readonly number[]): { b: number; c: number; d: number; qfac: 1 | -1 } {
  const r = [...rotation];
  let qfac: 1 | -1 = 1;
  if (det3(r) < 0) {
    qfac = -1;
    r[2] = -r[2]!;
    r[5] = -r[5]!;
    r[8] = -r[8]!;
  }
  const [r00, r01, r02, r10, r11, r12, r20, r21, r22] = r as [number, number, number, number, number, number, number, number, number];
  const trace = r00 + r11 + r22;
  let a: number;
  let b: number;
  let c: number;
  let d: number;
  if (trace > 0) {
    const s = 2 * Math.sqrt(1 + trace);
    a = s / 4; b = (r21 - r12) / s; c = (r02 - r20) / s; d = (r10 - r01) / s;
  } else if (r00 >= r11 && r00 >= r22) {
    const s = 2 * Math.sqrt(Math.max(1e-12, 1 + r00 - r11 - r22));
    a = (r21 - r12) / s; b = s / 4; c = (r01 + r10) / s; d = (r02 + r20) / s;
  } else if (r11 >= r22) {
    const s = 2 * Math.sqrt(Math.max(1e-12, 1 + r11 - r00 - r22));
    a = (r02 - r20) / s; b = (r01 + r10) / s; c = s / 4; d = (r12 + r21) / s;
  } else {
    const s = 2 * Math.sqrt(Math.max(1e-12, 1 + r22 - r00 - r11));
    a = (r10 - r01) / s; b = (r02 + r20) / s; c = (r12 + r21) / s; d = s / 4;
  }
  if (a < 0) {
    b = -b; c = -c; d = -d;
  }
  return { b, c, d, qfac };
}

/**
 * Row-major 3x3 rotation of a NIfTI quaternion (b, c, d; a = sqrt(1 - b^2 - c^2 - d^2)), with the
 * third column multiplied by qfac (nifti1.h, "METHOD 2"; qfac other than -1 counts as 1).
 */
export function rotationOfQuaternion(b: number, c: number, d: number, qfac: number): number[] {
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const f = qfac === -1 ? -1 : 1;
  return [
    a * a + b * b - c * c - d * d, 2 * (b * c - a * d), f * 2 * (b * d + a * c),
    2 * (b * c + a * d), a * a + c * c - b * b - d * d, f * 2 * (c * d - a * b),
    2 * (b * d - a * c), 2 * (c * d + a * b), f * (a * a + d * d - c * c - b * b),
  ];
}
