import { InputError } from '../util/errors.js';
import type { Vec3 } from './volume.js';

/**
 * Bounds a reader enforces before it allocates (ct-input.md checklist item 5): a corrupt header that
 * claims 60000 x 60000 x 60000 voxels is refused, not allocated.
 */
export interface ReadLimits {
  /** Largest voxel count of one volume (default 2^28, about 268 M: 512 x 512 x 1024). */
  readonly maxVoxels: number;
  /** Largest extent along any axis (default 4096). */
  readonly maxDimension: number;
  /** Largest file read into memory, compressed or not, in bytes (default 2 GiB). */
  readonly maxFileBytes: number;
  /** Most files in one DICOM series folder (default 5000). */
  readonly maxFiles: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxVoxels: 2 ** 28,
  maxDimension: 4096,
  maxFileBytes: 2 * 1024 ** 3,
  maxFiles: 5000,
};

/** Throws an InputError (rule "size-limit" or "dimensions") unless `shape` is a sane, bounded grid. */
export function checkShape(shape: Vec3, limits: ReadLimits, file: string): void {
  for (const n of shape) {
    if (!Number.isInteger(n) || n < 1) {
      throw new InputError(`${file}: image dimensions ${shape.join('x')} are not positive integers`, { file, rule: 'dimensions' });
    }
    if (n > limits.maxDimension) {
      throw new InputError(`${file}: image dimension ${n} exceeds the limit of ${limits.maxDimension}`, { file, rule: 'size-limit' });
    }
  }
  const count = shape[0] * shape[1] * shape[2];
  if (count > limits.maxVoxels) {
    throw new InputError(`${file}: ${shape.join('x')} = ${count} voxels exceeds the limit of ${limits.maxVoxels}`, {
      file,
      rule: 'size-limit',
    });
  }
}

/** Throws an InputError (rule "size-limit") when a file is larger than the limit allows. */
export function checkFileSize(bytes: number, limits: ReadLimits, file: string): void {
  if (bytes > limits.maxFileBytes) {
    throw new InputError(`${file}: ${bytes} bytes exceeds the file size limit of ${limits.maxFileBytes}`, { file, rule: 'size-limit' });
  }
}
