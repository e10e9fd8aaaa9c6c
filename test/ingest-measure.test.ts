/**
 * Nodule measurement accuracy on phantoms of known size (spheres and ellipsoids of 4 to 25 mm with
 * partial volume, in lung), written as a DICOM series and as NIfTI, read back by the project's
 * readers and measured: mean axial diameter within 10 % and volume within 15 % of the truth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeDicomSeries } from '../src/imaging/dicom-write.js';
import { measureNodule } from '../src/imaging/measure-nodule.js';
import { writeNifti } from '../src/imaging/nifti-write.js';
import { readVolume } from '../src/imaging/read-volume.js';
import { centredGrid } from '../src/imaging/sample-grid.js';
import { ellipsoidPhantom, type EllipsoidSpec } from '../src/imaging/testing/phantom.js';
import { tempDir } from '../src/imaging/testing/fixtures.js';
import type { Vec3 } from '../src/imaging/volume.js';

const work = tempDir('ingest-measure');

/** Diameters along x, y, z (mm) and an in-plane rotation (degrees). */
const PHANTOMS: readonly [number, number, number, number][] = [
  [4, 4, 4, 0],
  [6, 6, 6, 0],
  [10, 10, 10, 0],
  [16, 16, 16, 0],
  [25, 25, 25, 0],
  [6, 10, 8, 30],
  [12, 20, 16, -50],
  [25, 15, 20, 10],
];

/** A thin-section CT grid (0.7 x 0.7 x 1.0 mm) around the phantom, in DICOM's usual orientation. */
function phantomGrid(centre: Vec3, size: number, direction: number[]) {
  const extent = size + 16;
  const spacing: Vec3 = [0.7, 0.7, 1.0];
  const shape: Vec3 = [Math.round(extent / 0.7), Math.round(extent / 0.7), Math.round(extent / 1.0)];
  // Shift the grid by a fraction of a voxel so the nodule is not aligned with the voxel centres.
  const grid = centredGrid([centre[0] + 0.23, centre[1] - 0.31, centre[2] + 0.17], shape, spacing);
  if (direction[0] === 1 && direction[4] === 1) return grid;
  // Flipped axes: the same box seen from the opposite corner along x and y.
  const origin: Vec3 = [grid.origin[0] + (shape[0] - 1) * 0.7, grid.origin[1] + (shape[1] - 1) * 0.7, grid.origin[2]];
  return { ...grid, origin, direction };
}

function check(label: string, spec: EllipsoidSpec, m: ReturnType<typeof measureNodule>): void {
  const [dx, dy, dz] = spec.diametersMm;
  const volume = (Math.PI / 6) * dx * dy * dz;
  const diameter = (dx + dy) / 2;
  assert.ok(m.found && !m.touchesBorder, `${label}: found and inside the region`);
  const dErr = m.meanDiameterMm! / diameter - 1;
  const vErr = m.volumeMm3 / volume - 1;
  assert.ok(Math.abs(dErr) <= 0.1, `${label}: mean diameter ${m.meanDiameterMm!.toFixed(2)} mm vs ${diameter} (${(100 * dErr).toFixed(1)} %)`);
  assert.ok(Math.abs(vErr) <= 0.15, `${label}: volume ${m.volumeMm3.toFixed(1)} mm^3 vs ${volume.toFixed(1)} (${(100 * vErr).toFixed(1)} %)`);
}

test('phantoms written as DICOM series and as NIfTI measure within 10 % (diameter) and 15 % (volume)', async () => {
  const centre: Vec3 = [-42.6, 18.3, -151.2];
  let n = 0;
  for (const [dx, dy, dz, rot] of PHANTOMS) {
    const spec: EllipsoidSpec = { centre, diametersMm: [dx, dy, dz], rotationZDeg: rot };
    const size = Math.max(dx, dy, dz);
    const label = `${dx}x${dy}x${dz} mm, ${rot} deg`;

    const dicomDir = join(work, `dicom-${n}`);
    writeDicomSeries(dicomDir, ellipsoidPhantom(phantomGrid(centre, size, [1, 0, 0, 0, 1, 0, 0, 0, 1]), spec), {
      patientId: `phantom-${n}`,
      studyInstanceUid: `1.2.826.0.1.3680043.10.1.${n + 1}`,
      seriesInstanceUid: `1.2.826.0.1.3680043.10.2.${n + 1}`,
      frameOfReferenceUid: `1.2.826.0.1.3680043.10.3.${n + 1}`,
      studyDate: '20200101',
      synthetic: true,
    });
    const fromDicom = await readVolume(dicomDir);
    assert.equal(fromDicom.reader, 'dicom-series');
    check(`DICOM ${label}`, spec, measureNodule(fromDicom.volume, centre));

    const niftiPath = join(work, `phantom-${n}.nii.gz`);
    writeNifti(niftiPath, ellipsoidPhantom(phantomGrid(centre, size, [-1, 0, 0, 0, -1, 0, 0, 0, 1]), spec));
    const fromNifti = await readVolume(niftiPath);
    check(`NIfTI ${label}`, spec, measureNodule(fromNifti.volume, centre));
    n++;
  }
});

test('a nodule joined to a wall touches the region border and gets no diameter', async () => {
  const centre: Vec3 = [0, 0, 0];
  const grid = centredGrid(centre, [120, 120, 80], [0.8, 0.8, 1]);
  const ball = ellipsoidPhantom(grid, { centre, diametersMm: [10, 10, 10] });
  const data = Int16Array.from(ball.data);
  // A 10 mm thick slab of soft tissue (chest wall) at x >= 4 mm, reaching the grid's edge.
  for (let k = 0, p = 0; k < 80; k++) for (let j = 0; j < 120; j++) for (let i = 0; i < 120; i++, p++) if (grid.origin[0] + 0.8 * i >= 4) data[p] = 40;
  const m = measureNodule({ ...ball, data }, centre);
  assert.equal(m.found, true);
  assert.equal(m.touchesBorder, true);
  assert.equal(m.meanDiameterMm, null);
  assert.ok(m.volumeMm3 > (Math.PI / 6) * 1000, 'the in-region volume includes the wall');
});

test('no structure near the centre: found is false', async () => {
  const centre: Vec3 = [0, 0, 0];
  const grid = centredGrid(centre, [60, 60, 40], [1, 1, 1]);
  const m = measureNodule(ellipsoidPhantom(grid, { centre: [15, 15, 0], diametersMm: [6, 6, 6] }), centre);
  assert.equal(m.found, false);
  assert.equal(m.volumeMm3, 0);
  assert.equal(m.meanDiameterMm, null);
});
