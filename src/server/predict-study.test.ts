import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '../backends/index.js';
import { extractPatch } from '../imaging/extract-patch.js';
import { readNifti } from '../imaging/nifti-read.js';
import { writeNifti } from '../imaging/nifti-write.js';
import { loadCheckpoint } from '../model/checkpoint.js';
import { gradCam } from '../model/grad-cam.js';
import { Tensor } from '../tensor/index.js';
import { predictStudy } from './predict-study.js';
import { checkStudyInput } from './study-input.js';
import { NODULE_CENTRE, phantomScan, phantomStudy, tinyCheckpoint } from './testing/study-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'csfnet-predict-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
writeNifti(join(dir, 't0.nii'), phantomScan(8));
writeNifti(join(dir, 't1.nii'), phantomScan(10));
const checkpoint = join(dir, 'tiny.safetensors');
tinyCheckpoint(checkpoint);
const input = checkStudyInput(phantomStudy());
useBackend('auto', { threads: 1, announce: null });

test('a growing phantom nodule: measurements, growth and VDT agree with the geometry, rules with their formulas', () => {
  const r = predictStudy({ kind: 'predict', studyId: 's', studyDir: dir, input, checkpoint: null, threads: 1 });
  const m0 = r.measurements.t0;
  const m1 = r.measurements.t1;
  for (const [m, d] of [[m0, 8], [m1, 10]] as const) {
    assert.equal(m.touches_border, false);
    assert.equal(m.diameter_source, 'measured');
    assert.ok(Math.abs(m.mean_diameter_mm! - d) < 0.4, `diameter ${m.mean_diameter_mm} vs ${d}`);
    const v = (Math.PI / 6) * d ** 3;
    assert.ok(Math.abs(m.volume_mm3! / v - 1) < 0.06, `volume ${m.volume_mm3} vs ${v.toFixed(1)}`);
  }
  // VDT from the two reported volumes (modified Schwartz): t ln 2 / ln(V1 / V0).
  const vdt = (180 * Math.LN2) / Math.log(m1.volume_mm3! / m0.volume_mm3!);
  assert.equal(r.growth.vdt_method, 'volume');
  assert.ok(Math.abs(r.growth.vdt_days! - vdt) < 1e-9);
  // ...and close to the exact spheres' value, 180 ln 2 / (3 ln 1.25) = 186.4 days.
  assert.ok(Math.abs(r.growth.vdt_days! - (180 * Math.LN2) / (3 * Math.log(1.25))) < 15, `VDT ${r.growth.vdt_days}`);
  assert.equal(r.growth.interpretation, 'suspicious');
  assert.ok(Math.abs(r.growth.diameter_change_mm! - (m1.mean_diameter_mm! - m0.mean_diameter_mm!)) < 1e-12);
  // Lung-RADS v2022: a solid nodule growing by more than 1.5 mm to 8 mm or more is 4B.
  assert.ok(m1.mean_diameter_mm! - m0.mean_diameter_mm! > 1.5 && m1.mean_diameter_mm! >= 8);
  assert.equal(r.lung_rads.category, '4B');
  // Brock 2b by hand (McWilliams 2013): male, solid, nothing else, count 1, age at T1.
  const age = 63 + 180 / 365.25;
  const s = (m1.mean_diameter_mm! / 10) ** -0.5 - 1.58113883;
  const logit = -6.7892 + 0.0287 * (age - 62) - 5.3854 * s - 0.0824 * (1 - 4);
  assert.ok(Math.abs(r.brock.p! - 1 / (1 + Math.exp(-logit))) < 1e-12, `brock ${r.brock.p}`);
  assert.equal(r.prediction, null);
  assert.match(r.prediction_note, /no checkpoint/);
  assert.deepEqual(r.cams, { t0: false, t1: false });
  assert.ok(existsSync(join(dir, 't0-patch.nii')) && existsSync(join(dir, 't1-patch.nii')));
});

test('with a checkpoint: P(malignant) and Grad-CAM maps equal the network run directly on the stored scans', () => {
  const r = predictStudy({ kind: 'predict', studyId: 's', studyDir: dir, input, checkpoint, threads: 1 });
  const { model } = loadCheckpoint(checkpoint);
  const patch = (tp: 't0' | 't1') => new Tensor(extractPatch(readNifti(join(dir, `${tp}.nii`)), NODULE_CENTRE).data as Float32Array, [1, 1, 16, 64, 64]);
  // NLST codes -> vocabulary indices: race 1 -> 0, cigsmok 1 -> 1, gender 1 -> 0, age 63 -> 8.
  const direct = gradCam(model, patch('t0'), patch('t1'), new Tensor(Int32Array.from([0, 1, 0, 8]), [1, 4]));
  assert.ok(r.prediction !== null);
  assert.equal(r.prediction.p_malignant, direct.pMalignant);
  assert.deepEqual(r.prediction.clinical, { race: '1', cigsmok: '1', gender: '1', age: '63' });
  assert.deepEqual(r.cams, { t0: true, t1: true });
  for (const tp of ['t0', 't1'] as const) {
    const cam = readNifti(join(dir, `${tp}-cam.nii`));
    const stored = readNifti(join(dir, `${tp}-patch.nii`));
    assert.deepEqual([...cam.shape], [64, 64, 16]);
    assert.deepEqual([...cam.origin], [...stored.origin]);
    assert.deepEqual(Array.from(cam.data), Array.from(direct[tp]!));
  }
});
