/**
 * Nodule measurement accuracy on phantoms of known size (spheres and ellipsoids of 4 to 25 mm with
 * partial volume, in lung), written as a DICOM series and as NIfTI, read back by the project's
 * readers and measured: mean axial diameter within 10 % and volume within 15 % of the truth. The
 * adaptive threshold is checked on ground-glass and part-solid phantoms with noise, where a fixed
 * -400 HU threshold finds nothing or only the solid core.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeDicomSeries } from '../src/imaging/dicom-write.js';
import { measureNodule, type NoduleMeasurement } from '../src/imaging/measure-nodule.js';
import { writeNifti } from '../src/imaging/nifti-write.js';
import { readVolume } from '../src/imaging/read-volume.js';
import { centredGrid } from '../src/imaging/sample-grid.js';
import { ellipsoidPhantom, type EllipsoidSpec } from '../src/imaging/testing/phantom.js';
import { tempDir } from '../src/imaging/testing/fixtures.js';
import type { Vec3, Volume } from '../src/imaging/volume.js';

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

/** A noisy phantom on a 0.7 x 0.7 x `dz` mm grid, written as NIfTI and read back by readVolume. */
async function noisyPhantom(name: string, spec: EllipsoidSpec, dz: number): Promise<Volume> {
  const size = Math.max(...spec.diametersMm);
  const extent = Math.max(size + 16, 56);
  const grid = centredGrid([spec.centre[0] + 0.23, spec.centre[1] - 0.31, spec.centre[2] + 0.17], [Math.round(extent / 0.7), Math.round(extent / 0.7), Math.round(extent / dz)], [0.7, 0.7, dz]);
  const path = join(work, `${name}.nii.gz`);
  writeNifti(path, ellipsoidPhantom(grid, { noiseHu: 30, noiseSeed: size * 7 + dz, ...spec }));
  return (await readVolume(path)).volume;
}

/** Diameter within 10 %; volume within 15 % (1-1.25 mm slices) or 20 % (2.5 mm slices, which blur small nodules in z). */
function checkWithin(label: string, spec: EllipsoidSpec, m: NoduleMeasurement, dz: number): void {
  const [dx, dy, dz3] = spec.diametersMm;
  const volume = (Math.PI / 6) * dx * dy * dz3;
  const diameter = (dx + dy) / 2;
  assert.ok(m.found && !m.touchesBorder && m.meanDiameterMm !== null, `${label}: found and inside the region`);
  const dErr = m.meanDiameterMm / diameter - 1;
  const vErr = m.volumeMm3 / volume - 1;
  assert.ok(Math.abs(dErr) <= 0.1, `${label}: mean diameter ${m.meanDiameterMm.toFixed(2)} mm vs ${diameter} (${(100 * dErr).toFixed(1)} %), threshold ${m.thresholdHu.toFixed(0)} HU`);
  assert.ok(Math.abs(vErr) <= (dz > 2 ? 0.2 : 0.15), `${label}: volume ${m.volumeMm3.toFixed(1)} mm^3 vs ${volume.toFixed(1)} (${(100 * vErr).toFixed(1)} %), threshold ${m.thresholdHu.toFixed(0)} HU`);
}

test('ground-glass phantoms (-720 to -550 HU, noise 30 HU) measure within 10 % / 15 %; a fixed -400 HU threshold finds none of them', async () => {
  const centre: Vec3 = [21.4, -63.2, 102.9];
  const cases: [EllipsoidSpec, number][] = [
    [{ centre, diametersMm: [6, 6, 6], noduleHu: -650 }, 1.25],
    [{ centre, diametersMm: [10, 10, 10], noduleHu: -720 }, 1.25],
    [{ centre, diametersMm: [16, 16, 16], noduleHu: -550 }, 1.0],
    [{ centre, diametersMm: [20, 14, 16], rotationZDeg: 30, noduleHu: -600 }, 1.25],
    [{ centre, diametersMm: [10, 10, 10], noduleHu: -650 }, 2.5],
  ];
  for (const [n, [spec, dz]] of cases.entries()) {
    const label = `glass ${spec.diametersMm.join('x')} mm at ${spec.noduleHu} HU, ${dz} mm slices`;
    const v = await noisyPhantom(`glass-${n}`, spec, dz);
    const m = measureNodule(v, centre);
    checkWithin(label, spec, m, dz);
    assert.ok(m.thresholdHu < -650 && m.levels?.rimHu === null, `${label}: threshold ${m.thresholdHu} between lung and glass, no rim`);
    assert.equal(measureNodule(v, centre, { thresholdHu: -400 }).found, false, `${label}: found at -400 HU`);
  }
});

test('part-solid phantoms (glass -620 HU around a 30 HU core) measure whole; a fixed -400 HU threshold measures the core only', async () => {
  const centre: Vec3 = [-80.3, 40.6, -20.2];
  const glass = { centre, noduleHu: -620 };
  const cases: [EllipsoidSpec, number][] = [
    [{ ...glass, diametersMm: [12, 12, 12], core: { diametersMm: [6, 6, 6], hu: 30 } }, 1.25],
    [{ ...glass, diametersMm: [10, 10, 10], core: { diametersMm: [4, 4, 4], hu: 30 } }, 1.0],
    [{ ...glass, diametersMm: [16, 16, 14], core: { diametersMm: [8, 8, 8], hu: 30, offsetMm: [3, 0, 0] } }, 1.25],
    // The centre lies in the glass beside the core: the core intensity is glass, no rim is needed.
    [{ ...glass, diametersMm: [20, 20, 18], core: { diametersMm: [8, 8, 8], hu: 30, offsetMm: [5, 0, 0] } }, 1.25],
    [{ ...glass, diametersMm: [12, 12, 12], core: { diametersMm: [6, 6, 6], hu: 30 } }, 2.5],
  ];
  for (const [n, [spec, dz]] of cases.entries()) {
    const label = `part-solid ${spec.diametersMm.join('x')} / core ${spec.core!.diametersMm[0]} mm offset ${spec.core!.offsetMm?.[0] ?? 0}, ${dz} mm slices`;
    const v = await noisyPhantom(`part-solid-${n}`, spec, dz);
    const m = measureNodule(v, centre);
    checkWithin(label, spec, m, dz);
    if (m.levels!.coreHu > -300) assert.ok(m.levels!.rimHu !== null && Math.abs(m.levels!.rimHu + 620) < 100, `${label}: rim ${m.levels!.rimHu} HU found around the core`);
    const core = measureNodule(v, centre, { thresholdHu: -400 });
    if (core.found) assert.ok(core.meanDiameterMm! < 0.75 * spec.diametersMm[0], `${label}: -400 HU measures ${core.meanDiameterMm} mm`);
  }
});

test('solid phantoms with noise and thick slices and a calcified core are not taken for part-solid', async () => {
  const centre: Vec3 = [5.5, 5.5, 5.5];
  const cases: [EllipsoidSpec, number][] = [
    [{ centre, diametersMm: [6, 6, 6] }, 2.5],
    [{ centre, diametersMm: [12, 9, 10], rotationZDeg: 40 }, 2.5],
    [{ centre, diametersMm: [20, 20, 20] }, 1.25],
    [{ centre, diametersMm: [10, 10, 10], core: { diametersMm: [4, 4, 4], hu: 600 } }, 1.25],
  ];
  for (const [n, [spec, dz]] of cases.entries()) {
    const label = `solid ${spec.diametersMm.join('x')} mm${spec.core ? ' with calcium' : ''}, ${dz} mm slices`;
    const m = measureNodule(await noisyPhantom(`solid-${n}`, spec, dz), centre);
    checkWithin(label, spec, m, dz);
    assert.equal(m.levels?.rimHu, null, `${label}: rim ${m.levels?.rimHu}`);
    assert.ok(m.thresholdHu > -460 && m.thresholdHu < -340, `${label}: threshold ${m.thresholdHu}`);
  }
});

test('growth of a part-solid nodule (12 -> 15 mm, core 4 -> 6 mm) is measured on the whole nodule', async () => {
  const centre: Vec3 = [0, 0, 0];
  const at = (d: number, core: number): EllipsoidSpec => ({ centre, diametersMm: [d, d, d], noduleHu: -640, core: { diametersMm: [core, core, core], hu: 20 } });
  const m0 = measureNodule(await noisyPhantom('growth-0', at(12, 4), 1.25), centre);
  const m1 = measureNodule(await noisyPhantom('growth-1', at(15, 6), 1.25), centre);
  const ratio = m1.volumeMm3 / m0.volumeMm3;
  assert.ok(Math.abs(ratio / (15 / 12) ** 3 - 1) < 0.1, `volume ratio ${ratio.toFixed(3)} vs ${((15 / 12) ** 3).toFixed(3)}`);
});

test('a ground-glass nodule joined to the chest wall touches the region border', async () => {
  const centre: Vec3 = [0, 0, 0];
  const grid = centredGrid(centre, [100, 100, 60], [0.7, 0.7, 1.25]);
  const ball = ellipsoidPhantom(grid, { centre, diametersMm: [12, 12, 12], noduleHu: -640, noiseHu: 25 });
  const data = Int16Array.from(ball.data);
  for (let k = 0, p = 0; k < 60; k++) for (let j = 0; j < 100; j++) for (let i = 0; i < 100; i++, p++) if (grid.origin[0] + 0.7 * i >= 5.5) data[p] = 40 + (data[p]! + 640) / 4;
  const m = measureNodule({ ...ball, data }, centre);
  assert.equal(m.found, true);
  assert.equal(m.touchesBorder, true);
  assert.equal(m.meanDiameterMm, null);
});
