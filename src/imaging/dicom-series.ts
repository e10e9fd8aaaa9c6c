import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import { readDicomSlice, NotDicomError, type DicomSlice } from './dicom-slice.js';
import { AIR_HU, sanitizeHu } from './hu.js';
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
  sanitizeHu(data, folder);
  return {
    volume: { data, shape: geometry.shape, spacing: geometry.spacing, origin: geometry.origin, direction: geometry.direction },
    seriesUid: slices[0]!.seriesUid,
    files: ordered.map((s) => s.file),
    sopInstanceUids: ordered.map((s) => s.sopInstanceUid ?? ''),
    positions: geometry.positions,
    ignored,
  };
}

/** Stacks the slices' stored values as HU (slice k at offset k * plane), padding as air. */
function toHu(slices: readonly DicomSlice[], plane: number): Int16Array | Float32Array {
  let integral = true;
  for (const s of slices) {
    if (s.rescaleSlope !== 1 || !Number.isInteger(s.rescaleIntercept)) integral = false;
    else {
      let min = Infinity;
      let max = -Infinity;
      for (const v of s.stored) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (min + s.rescaleIntercept < -32768 || max + s.rescaleIntercept > 32767) integral = false;
    }
  }
  const data = integral ? new Int16Array(plane * slices.length) : new Float32Array(plane * slices.length);
  slices.forEach((s, k) => {
    const base = k * plane;
    const { stored, rescaleSlope: m, rescaleIntercept: b, paddingValue: pad } = s;
    for (let n = 0; n < plane; n++) {
      const v = stored[n]!;
      data[base + n] = v === pad ? AIR_HU : v * m + b;
    }
  });
  return data;
}
