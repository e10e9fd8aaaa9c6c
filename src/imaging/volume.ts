/**
 * A CT volume in DICOM patient coordinates (LPS: x to the patient's left, y to the back, z to the
 * head), the one convention inside csf-net. Readers convert NIfTI (RAS) and MetaImage geometry to
 * it before anything uses a world coordinate.
 *
 * Layout: voxel (i, j, k) is data[i + nx * (j + ny * k)]: i runs fastest (columns), then j (rows),
 * then k (slices), as in DICOM, NIfTI and ITK. Its world position is
 *   world = origin + direction * (spacing .* [i, j, k])
 * where `direction` is a row-major 3x3 matrix whose columns are the unit world directions of the
 * i, j and k axes (ITK's convention) and `origin` is the centre of voxel (0, 0, 0).
 */
export type Vec3 = readonly [number, number, number];

export interface Volume {
  /** Voxel values in Hounsfield units (or [0, 1] for windowed patches). */
  readonly data: Float32Array | Int16Array;
  /** Voxel counts along i, j, k. */
  readonly shape: Vec3;
  /** Voxel size along i, j, k in millimetres. */
  readonly spacing: Vec3;
  /** World position (LPS, mm) of the centre of voxel (0, 0, 0). */
  readonly origin: Vec3;
  /** Row-major 3x3; column c is the world direction of voxel axis c. */
  readonly direction: readonly number[];
}

export const IDENTITY_DIRECTION: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** World position (LPS, mm) of a continuous voxel index. */
export function voxelToWorld(v: Pick<Volume, 'spacing' | 'origin' | 'direction'>, ijk: Vec3): Vec3 {
  const d = v.direction;
  const a = ijk[0] * v.spacing[0];
  const b = ijk[1] * v.spacing[1];
  const c = ijk[2] * v.spacing[2];
  return [
    v.origin[0] + d[0]! * a + d[1]! * b + d[2]! * c,
    v.origin[1] + d[3]! * a + d[4]! * b + d[5]! * c,
    v.origin[2] + d[6]! * a + d[7]! * b + d[8]! * c,
  ];
}

/**
 * Continuous voxel index of a world position. The direction matrix is assumed orthonormal (readers
 * check it), so its inverse is its transpose.
 */
export function worldToVoxel(v: Pick<Volume, 'spacing' | 'origin' | 'direction'>, xyz: Vec3): Vec3 {
  const d = v.direction;
  const x = xyz[0] - v.origin[0];
  const y = xyz[1] - v.origin[1];
  const z = xyz[2] - v.origin[2];
  return [
    (d[0]! * x + d[3]! * y + d[6]! * z) / v.spacing[0],
    (d[1]! * x + d[4]! * y + d[7]! * z) / v.spacing[1],
    (d[2]! * x + d[5]! * y + d[8]! * z) / v.spacing[2],
  ];
}

/** Axis-aligned world bounding box (LPS, mm) of the voxel centres. */
export function worldBounds(v: Volume): { min: Vec3; max: Vec3 } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let corner = 0; corner < 8; corner++) {
    const ijk: Vec3 = [
      corner & 1 ? v.shape[0] - 1 : 0,
      corner & 2 ? v.shape[1] - 1 : 0,
      corner & 4 ? v.shape[2] - 1 : 0,
    ];
    const w = voxelToWorld(v, ijk);
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a]!, w[a]!);
      max[a] = Math.max(max[a]!, w[a]!);
    }
  }
  return { min: [min[0]!, min[1]!, min[2]!], max: [max[0]!, max[1]!, max[2]!] };
}

/** True when a continuous voxel index lies within the volume (voxel centres, half a voxel of slack). */
export function containsVoxel(v: Volume, ijk: Vec3): boolean {
  for (let a = 0; a < 3; a++) {
    const x = ijk[a]!;
    if (!(x >= -0.5 && x <= v.shape[a]! - 0.5)) return false;
  }
  return true;
}
