import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readNifti } from './nifti-read.js';
import { writeNifti } from './nifti-write.js';
import { runPython } from './testing/python.js';
import { voxelToWorld } from './volume.js';
import { InputError } from '../util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'csfnet-nifti-read-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/**
 * nibabel writes NIfTI files in every variant the reader must handle; it also reports, for each,
 * the RAS world position of voxel (1, 2, 3) and the scaled value there, to compare against.
 */
const NIBABEL_WRITER = `
import sys, json, numpy as np, nibabel as nib
out = sys.argv[1]
aff = np.array([[-0.8, 0, 0, 110.0], [0, 0, 1.5, -60.0], [0, -0.9, 0, 80.25], [0, 0, 0, 1]])
data = (np.arange(4 * 5 * 6).reshape(4, 5, 6) * 3 - 1000).astype(np.int16)
cases = {}
def save(name, img):
    nib.save(img, out + "/" + name)
    a = img.affine if img.header["sform_code"] > 0 else img.header.get_qform()
    cases[name] = {"world": (a @ [1, 2, 3, 1])[:3].tolist(), "value": float(img.get_fdata()[1, 2, 3])}
save("n1.nii", nib.Nifti1Image(data, aff))
save("n1.nii.gz", nib.Nifti1Image(data, aff))
save("n2.nii", nib.Nifti2Image(data.astype(np.float32) + 0.5, aff))
be = nib.Nifti1Image(data.astype(">f4"), aff)
save("be.nii", be)
q = nib.Nifti1Image(data, None)
q.set_qform(aff, code=1)
q.set_sform(None, code=0)
save("qform-only.nii", q)
s = nib.Nifti1Image(data, aff)
s.header.set_slope_inter(2.0, -24.0)
nib.save(s, out + "/scaled.nii")
cases["scaled.nii"] = {"world": (aff @ [1, 2, 3, 1])[:3].tolist(), "value": float(np.asanyarray(nib.load(out + "/scaled.nii").dataobj)[1, 2, 3])}
print(json.dumps(cases))
`;

test('readNifti agrees with nibabel on NIfTI-1, NIfTI-2, gzip, big-endian, qform-only and scaled files', () => {
  const cases = JSON.parse(runPython(NIBABEL_WRITER, [dir])) as Record<string, { world: number[]; value: number }>;
  assert.equal(Object.keys(cases).length, 6);
  for (const [name, expected] of Object.entries(cases)) {
    const v = readNifti(join(dir, name));
    assert.deepEqual(v.shape, [4, 5, 6], name);
    const lps = voxelToWorld(v, [1, 2, 3]);
    // nibabel reports RAS; the volume is LPS.
    const ras = [-lps[0], -lps[1], lps[2]];
    ras.forEach((x, k) => assert.ok(Math.abs(x - expected.world[k]!) < 1e-3, `${name} world[${k}] ${x} vs ${expected.world[k]}`));
    assert.equal(v.data[1 + 4 * (2 + 5 * 3)], expected.value, `${name} value`);
  }
  assert.ok(readNifti(join(dir, 'n1.nii')).data instanceof Int16Array, 'unscaled int16 stays int16');
  assert.ok(readNifti(join(dir, 'scaled.nii')).data instanceof Float32Array, 'scaled int16 becomes float32');
});

test('readNifti reads the NIfTI-2 and anatomical example files shipped with nibabel', () => {
  const data = '/usr/lib/python3/dist-packages/nibabel/tests/data';
  for (const name of ['example_nifti2.nii.gz', 'anatomical.nii']) {
    const path = join(data, name);
    const expected = JSON.parse(
      runPython(
        `import sys, json, nibabel as nib
img = nib.load(sys.argv[1]); a = img.affine
print(json.dumps({"shape": list(img.shape[:3]), "world": (a @ [2, 3, 4, 1])[:3].tolist(), "n": len(img.shape)}))`,
        [path],
      ),
    ) as { shape: number[]; world: number[]; n: number };
    if (expected.n > 3) {
      assert.throws(() => readNifti(path), (e: unknown) => e instanceof InputError && e.rule === 'single-volume', name);
      continue;
    }
    const v = readNifti(path);
    assert.deepEqual([...v.shape], expected.shape, name);
    const lps = voxelToWorld(v, [2, 3, 4]);
    [-lps[0], -lps[1], lps[2]].forEach((x, k) => assert.ok(Math.abs(x - expected.world[k]!) < 1e-3, `${name} world[${k}]`));
  }
});

/** A small valid NIfTI-1 written by the project, as bytes, to break on purpose. */
function validBytes(): Buffer {
  const path = join(dir, 'base.nii');
  writeNifti(path, { data: new Float32Array(24).fill(5), shape: [2, 3, 4], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
  return readFileSync(path);
}

function expectRule(bytes: Uint8Array, rule: string, name: string): void {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  assert.throws(
    () => readNifti(path),
    (e: unknown) => e instanceof InputError && e.rule === rule && e.file === path && e.message.includes(path),
    `${name}: expected rule ${rule}`,
  );
}

test('readNifti refuses broken files with the rule they break', () => {
  const good = validBytes();
  expectRule(good.subarray(0, good.length - 10), 'truncated-voxel-data', 'truncated.nii');
  expectRule(gzipSync(good.subarray(0, good.length - 4)), 'truncated-voxel-data', 'truncated.nii.gz');
  const farOffset = Buffer.from(good);
  farOffset.writeFloatLE(4096, 108);
  expectRule(farOffset, 'truncated-voxel-data', 'offset-past-end.nii');
  const insideHeader = Buffer.from(good);
  insideHeader.writeFloatLE(100, 108);
  expectRule(insideHeader, 'nifti-vox-offset', 'offset-in-header.nii');
  const zeroVoxel = Buffer.from(good);
  for (const at of [280, 284, 288, 292]) zeroVoxel.writeFloatLE(0, at); // srow_x = 0: zero size along i
  expectRule(zeroVoxel, 'voxel-size-positive', 'zero-voxel.nii');
  const fourD = Buffer.from(good);
  fourD.writeInt16LE(4, 40);
  fourD.writeInt16LE(2, 48);
  expectRule(fourD, 'single-volume', 'four-d.nii');
  const huge = Buffer.from(good);
  [3, 30000, 30000, 30000].forEach((d, n) => huge.writeInt16LE(d, 40 + 2 * n));
  expectRule(huge, 'size-limit', 'huge.nii');
  const complex = Buffer.from(good);
  complex.writeInt16LE(32, 70);
  expectRule(complex, 'nifti-datatype', 'complex.nii');
  const noTransform = Buffer.from(good);
  noTransform.writeInt16LE(0, 252);
  noTransform.writeInt16LE(0, 254);
  expectRule(noTransform, 'nifti-no-transform', 'no-transform.nii');
  const nan = Buffer.from(good);
  nan.writeFloatLE(NaN, 352 + 4 * 7);
  expectRule(nan, 'finite-values', 'nan.nii');
  expectRule(Buffer.from('not a nifti file at all, just text'.repeat(20)), 'nifti-magic', 'text.nii');
  expectRule(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]), 'gzip', 'bad.nii.gz');
});

test('readNifti turns scanner padding (<= -2000 HU) into air', () => {
  const path = join(dir, 'padded.nii');
  const data = new Int16Array([-3024, -2000, -1999, 40, -1000, 0]);
  writeNifti(path, { data, shape: [6, 1, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
  assert.deepEqual(Array.from(readNifti(path).data), [-1000, -1000, -1999, 40, -1000, 0]);
});
