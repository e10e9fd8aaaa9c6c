/**
 * The real tumour of TCIA Lung-PET-CT-Dx subject A0001 (doi 10.7937/TCIA.2020.NNC20461, CC BY 4.0):
 * its annotated boxes (PASCAL-VOC pixel corners, one file per slice, named by SOPInstanceUID) map
 * into the volume, a patch at their centre is soft tissue at its core, and the measurement says the
 * tumour is larger than the patch instead of giving a wrong diameter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDicomSeries } from '../src/imaging/dicom-series.js';
import { extractPatch, HU_WINDOW } from '../src/imaging/extract-patch.js';
import { measureNodule } from '../src/imaging/measure-nodule.js';
import { tciaData } from '../src/imaging/testing/fixtures.js';
import { containsVoxel, voxelToWorld, type Vec3 } from '../src/imaging/volume.js';

const series = await readDicomSeries(tciaData('A0001', 'series-2'));
const volume = series.volume;

/** Box corners (pixels) of every annotation that names a slice of series-2, with its slice index. */
function boxes(): { k: number; xmin: number; ymin: number; xmax: number; ymax: number }[] {
  const dir = tciaData('A0001', 'annotations');
  return readdirSync(dir).flatMap((name) => {
    const k = series.sopInstanceUids.indexOf(name.replace(/\.xml$/, ''));
    if (k < 0) return [];
    const xml = readFileSync(join(dir, name), 'utf8');
    const num = (tag: string): number => Number(new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(xml)![1]);
    return [{ k, xmin: num('xmin'), ymin: num('ymin'), xmax: num('xmax'), ymax: num('ymax') }];
  });
}

test('the 11 tumour boxes on series-2 map to world coordinates inside the volume', () => {
  const found = boxes();
  assert.equal(found.length, 11);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const b of found) {
    for (const [i, j] of [[b.xmin, b.ymin], [b.xmax, b.ymax]] as const) {
      assert.ok(containsVoxel(volume, [i, j, b.k]));
      const w = voxelToWorld(volume, [i, j, b.k]);
      for (let a = 0; a < 3; a++) {
        min[a] = Math.min(min[a]!, w[a]!);
        max[a] = Math.max(max[a]!, w[a]!);
      }
    }
  }
  // Slice 1-NN lies at z = -124 - 5 (NN - 1): boxes on 1-13..1-23 span z -234..-184.
  assert.ok(Math.abs(min[2]! - -234) < 1e-6 && Math.abs(max[2]! - -184) < 1e-6, `z ${min[2]}..${max[2]}`);
  const centre = [0, 1, 2].map((a) => (min[a]! + max[a]!) / 2);
  // The shared README gives the centre as "about x 42.2, y 202.4"; the union of the 11 boxes on
  // series-2 is x 278..360, y 298..394 px, whose centre is x 40.5, y 198.2 mm.
  assert.ok(Math.abs(centre[0]! - 40.5) < 0.1 && Math.abs(centre[0]! - 42.2) < 4.5, `x ${centre[0]}`);
  assert.ok(Math.abs(centre[1]! - 198.2) < 0.1 && Math.abs(centre[1]! - 202.4) < 4.5, `y ${centre[1]}`);
  assert.ok(Math.abs(centre[2]! - -209) < 1e-6, `z ${centre[2]}`);
});

test('a patch at the tumour centre is soft tissue at its core', () => {
  const centre: Vec3 = [42.2, 202.4, -209];
  const patch = extractPatch(volume, centre, 'A0001 T0');
  const hu = (i: number, j: number, k: number): number => patch.data[i + 64 * (j + 64 * k)]! * (HU_WINDOW.max - HU_WINDOW.min) + HU_WINDOW.min;
  let core = 0;
  for (let k = 6; k <= 9; k++) for (let j = 29; j <= 34; j++) for (let i = 29; i <= 34; i++) core += hu(i, j, k) / 144;
  assert.ok(core > -100 && core < 150, `core mean ${core.toFixed(0)} HU`);
});

test('the tumour is larger than the 64 mm region: measurement flags the border and gives no diameter', () => {
  const m = measureNodule(volume, [42.2, 202.4, -209]);
  assert.equal(m.found, true);
  assert.equal(m.touchesBorder, true);
  assert.equal(m.meanDiameterMm, null);
  assert.equal(m.longAxisMm, null);
  assert.ok(m.volumeMm3 > 20000, `in-region volume ${m.volumeMm3} mm^3`);
});
