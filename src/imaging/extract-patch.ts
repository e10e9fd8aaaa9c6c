import { InputError } from '../util/errors.js';
import { centredGrid, sampleGrid } from './sample-grid.js';
import { containsVoxel, IDENTITY_DIRECTION, worldBounds, worldToVoxel, type Vec3, type Volume } from './volume.js';

/** The CSF-Net input patch: 16 x 64 x 64 (D, H, W = z, y, x) at 1 mm (../shared/docs/csf-net.md). */
export const PATCH_SHAPE: Vec3 = [64, 64, 16];
export const PATCH_SPACING: Vec3 = [1, 1, 1];
/** HU window of the paper's preprocessing, mapped linearly to [0, 1]. */
export const HU_WINDOW = { min: -1200, max: 600 } as const;

/** HU to the [0, 1] window of CSF-Net: (hu + 1200) / 1800, clipped. */
export function windowHu(hu: number): number {
  const v = (hu - HU_WINDOW.min) / (HU_WINDOW.max - HU_WINDOW.min);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Throws an InputError (rule "centre-outside-volume") unless `centre` (LPS, mm) lies inside the
 * volume; the message names `label` (e.g. "subject 100012 T1"), the coordinate and the volume's
 * world bounds, as ct-input.md's checklist item 4 asks.
 */
export function checkCentreInside(volume: Volume, centre: Vec3, label: string, file?: string): void {
  if (containsVoxel(volume, worldToVoxel(volume, centre))) return;
  const b = worldBounds(volume);
  const range = (a: number): string => `${b.min[a]!.toFixed(1)}..${b.max[a]!.toFixed(1)}`;
  throw new InputError(
    `${label}: nodule centre (${centre.map((x) => x.toFixed(1)).join(', ')}) lies outside the volume (x ${range(0)}, y ${range(1)}, z ${range(2)} mm, LPS)`,
    { file, rule: 'centre-outside-volume' },
  );
}

/**
 * Cuts the CSF-Net patch around a nodule: 64 x 64 x 16 voxels of 1 mm along the world axes (LPS),
 * whatever the scan's orientation, with its geometric centre on `centre` (between voxels 31 and
 * 32 in-plane, 7 and 8 in depth; ../shared/docs/cohort-format.md), sampled trilinearly from the
 * HU volume (out-of-volume parts read as air) and windowed to [0, 1] by windowHu.
 *
 * Returns a Volume whose geometry places the patch in the scan's world space; its data, x fastest
 * then y then z, is also the model's D x H x W = 16 x 64 x 64 array. A centre outside the volume is
 * refused by checkCentreInside with `label` in the message.
 */
export function extractPatch(volume: Volume, centre: Vec3, label = 'patch', file?: string): Volume {
  checkCentreInside(volume, centre, label, file);
  const grid = centredGrid(centre, PATCH_SHAPE, PATCH_SPACING);
  const data = sampleGrid(volume, grid);
  for (let n = 0; n < data.length; n++) data[n] = windowHu(data[n]!);
  return { data, shape: grid.shape, spacing: grid.spacing, origin: grid.origin, direction: IDENTITY_DIRECTION };
}
