import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDicomSeries } from '../../imaging/dicom-write.js';
import { centredGrid } from '../../imaging/sample-grid.js';
import { ellipsoidPhantom } from '../../imaging/testing/phantom.js';
import type { Vec3, Volume } from '../../imaging/volume.js';
import { saveCheckpoint, NLST_VOCAB } from '../../model/checkpoint.js';
import { CsfNet } from '../../model/csf-net.js';
import { configFor, NLST_COLUMNS } from '../../model/variants.js';
import { writeZip } from './write-zip.js';

/**
 * Test studies for the server: a solid spherical nodule in uniform lung on a small CT grid, at a
 * baseline diameter and a larger follow-up diameter, so growth, volume doubling time and Lung-RADS
 * have known answers (volume pi/6 d^3, VDT = t ln 2 / (3 ln(d1/d0))).
 */
export const NODULE_CENTRE: Vec3 = [-20.5, 35.25, -110];

/** 72 x 72 x 40 voxels of 0.8 x 0.8 x 1.25 mm, the nodule off the grid's centre by a few mm. */
export function phantomScan(diameterMm: number): Volume {
  const gridCentre: Vec3 = [NODULE_CENTRE[0] + 3.1, NODULE_CENTRE[1] - 2.3, NODULE_CENTRE[2] + 1.7];
  const grid = centredGrid(gridCentre, [72, 72, 40], [0.8, 0.8, 1.25]);
  return ellipsoidPhantom(grid, { centre: NODULE_CENTRE, diametersMm: [diameterMm, diameterMm, diameterMm] });
}

/** The `study` field of an upload of the phantom pair, with NLST clinical fields; `extra` overrides. */
export function phantomStudy(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [x, y, z] = NODULE_CENTRE;
  return { label: 'phantom', days: 180, t0: { x, y, z }, t1: { x, y, z }, clinical: { age: 63, gender: 1, race: 1, cigsmok: 1 }, ...extra };
}

/** Identifying values written into the test DICOM series; none may reach the server's log or data folder. */
export const SECRET_PATIENT = { name: 'Zzyzx^Quentinella', id: 'PID-739153-SECRET', study: '1.2.826.0.1.3680043.8.498.7391', series: '1.2.826.0.1.3680043.8.498.73915' } as const;

/** A DICOM series of `volume` (dcmjs, imaging/dicom-write) zipped under `folder/`, with SECRET_PATIENT's identifiers. */
export function dicomZip(volume: Volume, folder = 'series'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'csfnet-dicomzip-'));
  try {
    writeDicomSeries(dir, volume, {
      patientId: SECRET_PATIENT.id,
      patientName: SECRET_PATIENT.name,
      studyInstanceUid: SECRET_PATIENT.study,
      seriesInstanceUid: SECRET_PATIENT.series,
      frameOfReferenceUid: `${SECRET_PATIENT.study}.1`,
      studyDate: '20240131',
      synthetic: true,
    });
    const entries = readdirSync(dir)
      .sort()
      .map((name) => ({ name: `${folder}/${name}`, data: readFileSync(join(dir, name)), deflate: true }));
    return writeZip(entries);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Saves an untrained `tiny` CSF-Net with the NLST clinical columns (any valid checkpoint will do for the server). */
export function tinyCheckpoint(path: string, seed = 7): void {
  saveCheckpoint(path, new CsfNet(configFor('tiny'), seed), { columns: [...NLST_COLUMNS], vocab: NLST_VOCAB });
}
