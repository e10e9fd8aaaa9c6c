import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import { readDicomSlice, NotDicomError, type DicomSlice } from './dicom-slice.js';
import { AIR_HU, PADDING_MAX_HU } from './hu.js';
import { checkShape, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import { seriesGeometry } from './series-geometry.js';
import type { Volume } from './volume.js';

export interface DicomSeries {
  readonly volume: Volume;
  readonly seriesUid: string;
  /** The slice files in volume order (k = 0 first). */
  readonly files: readonly string[];
  /** SOPInstanceUID of each slice in volume order ('' when a file has none). */
  readonly sopInstanceUids: readonly string[];
  /** Slice positions along the normal (mm), in volume order. */
  readonly positions: readonly number[];
  /** Files of the folder that are not DICOM (no "DICM" marker), skipped. */
  readonly ignored: readonly string[];
}

/**
 * Reads the DICOM series in a folder (its files, not subfolders; hidden files skipped) into a
 * Volume in HU, LPS.
 *
 * Files are read and checked one by one (dicom-slice), must all belong to one SeriesInstanceUID
 * ("mixed-series" otherwise: two series in one folder are never stacked), and are stacked by
 * seriesGeometry, which computes spacing, origin and direction from the positions and refuses
 * duplicates, gaps, uneven spacing and tilt. Stored values become HU with each slice's own
 * RescaleSlope and RescaleIntercept (PS3.3 C.11.1.1.2); PixelPaddingValue and values <= -2000 HU
 * become air. The data are an Int16Array when every slice has slope 1, an integer intercept and
 * HU within int16 (the usual CT), else a Float32Array.
 */
export async function readDicomSeries(folder: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<DicomSeries> {
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (names.length > limits.maxFiles) {
    throw new InputError(`${folder}: ${names.length} files exceed the limit of ${limits.maxFiles} per series folder`, { file: folder, rule: 'size-limit' });
  }
  const slices: DicomSlice[] = [];
  const ignored: string[] = [];
  for (const name of names) {
    try {
      slices.push(await readDicomSlice(join(folder, name), limits));
    } catch (err) {
      if (err instanceof NotDicomError) ignored.push(name);
      else throw err;
    }
  }
  if (slices.length === 0) {
    throw new InputError(`${folder}: no DICOM files (${ignored.length} other files)`, { file: folder, rule: 'no-dicom' });
  }
  const bySeries = new Map<string, DicomSlice[]>();
  for (const s of slices) bySeries.set(s.seriesUid, [...(bySeries.get(s.seriesUid) ?? []), s]);
  if (bySeries.size > 1) {
    const list = [...bySeries].map(([uid, group]) => `${uid} (${group.length} files, e.g. ${group[0]!.file})`).join('; ');
    throw new InputError(`${folder}: ${bySeries.size} series mixed in one folder: ${list}`, { file: folder, rule: 'mixed-series' });
  }
  const geometry = seriesGeometry(slices, folder);
  checkShape(geometry.shape, limits, folder);
  const ordered = geometry.order.map((k) => slices[k]!);
  const data = toHu(ordered, geometry.shape[0] * geometry.shape[1]);
  return {
    volume: { data, shape: geometry.shape, spacing: geometry.spacing, origin: geometry.origin, direction: geometry.direction },
    seriesUid: slices[0]!.seriesUid,
    files: ordered.map((s) => s.file),
    sopInstanceUids: ordered.map((s) => s.sopInstanceUid ?? ''),
    positions: geometry.positions,
    ignored,
  };
}

/**
 * Stacks the slices' stored values as HU (slice k at offset k * plane), with PixelPaddingValue and
 * values <= -2000 HU as air (hu.ts). Int16Array when every slice has slope 1 and an integer
 * intercept and every HU fits int16 (checked while converting; a value that does not fit restarts
 * the conversion in float32), else Float32Array. Integer inputs are always finite.
 */
function toHu(slices: readonly DicomSlice[], plane: number): Int16Array | Float32Array {
  const integral = slices.every((s) => s.rescaleSlope === 1 && Number.isInteger(s.rescaleIntercept));
  if (integral) {
    const data = new Int16Array(plane * slices.length);
    if (fill(data, slices, plane, true)) return data;
  }
  const data = new Float32Array(plane * slices.length);
  fill(data, slices, plane, false);
  return data;
}

/** Writes HU into `data`; with `int16` it stops and returns false at the first value outside int16. */
function fill(data: Int16Array | Float32Array, slices: readonly DicomSlice[], plane: number, int16: boolean): boolean {
  for (let k = 0; k < slices.length; k++) {
    const { stored, rescaleSlope: m, rescaleIntercept: b, paddingValue } = slices[k]!;
    const pad = paddingValue ?? NaN;
    const base = k * plane;
    for (let n = 0; n < plane; n++) {
      const v = stored[n]!;
      const hu = v * m + b;
      if (int16 && (hu < -32768 || hu > 32767)) return false;
      data[base + n] = v === pad || hu <= PADDING_MAX_HU ? AIR_HU : hu;
    }
  }
  return true;
}
