import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from './nifti-write.js';
import { readNifti } from './nifti-read.js';
import { affineOf, flipLpsRas } from './affine.js';
import { runPython } from './testing/python.js';
import { voxelToWorld, type Volume } from './volume.js';
import { InputError } from '../util/errors.js';

/** An oblique, anisotropic test volume: rotation of 30 degrees about z, then x flipped (improper). */
function obliqueVolume(kind: 'int16' | 'float32'): Volume {
  const shape = [5, 4, 3] as const;
  const n = shape[0] * shape[1] * shape[2];
  const data = kind === 'int16' ? new Int16Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = kind === 'int16' ? i * 37 - 1000 : i * 0.25 - 3.5;
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  return { data, shape, spacing: [0.7, 0.9, 2.5], origin: [-120.5, 33.25, -401], direction: [-c, -s, 0, -s, c, 0, 0, 0, 1] };
}

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'csfnet-nifti-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('writeNifti then readNifti gives back data, type and geometry (.nii and .nii.gz, int16 and float32)', () => {
  withTempDir((dir) => {
    for (const kind of ['int16', 'float32'] as const) {
      for (const ext of ['.nii', '.nii.gz']) {
        const v = obliqueVolume(kind);
        const path = join(dir, `v-${kind}${ext}`);
        writeNifti(path, v);
        const back = readNifti(path);
        assert.equal(back.data.constructor, v.data.constructor, `${kind}${ext}: array type`);
        assert.deepEqual(Array.from(back.data), Array.from(v.data));
        assert.deepEqual(back.shape, v.shape);
        for (const ijk of [[0, 0, 0], [4, 3, 2], [2.5, 1, 0.5]] as const) {
          const a = voxelToWorld(v, ijk);
          const b = voxelToWorld(back, ijk);
          for (let k = 0; k < 3; k++) assert.ok(Math.abs(a[k]! - b[k]!) < 1e-4, `${kind}${ext} ${ijk}: ${a} vs ${b}`);
        }
      }
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
  });
});

test('nibabel reads what writeNifti wrote: RAS sform = RAS qform = the LPS geometry with x and y negated', () => {
  withTempDir((dir) => {
    const v = obliqueVolume('float32');
    const path = join(dir, 'v.nii.gz');
    writeNifti(path, v, { description: 'csf-net test' });
    const out = runPython(
      `import sys, json, nibabel as nib
img = nib.load(sys.argv[1])
h = img.header
print(json.dumps({"sform": h.get_sform().tolist(), "qform": h.get_qform().tolist(),
  "codes": [int(h["sform_code"]), int(h["qform_code"])], "shape": list(img.shape),
  "dtype": str(h.get_data_dtype()), "v": float(img.get_fdata()[4, 3, 2]), "descrip": h["descrip"].item().decode()}))`,
      [path],
    );
    const got = JSON.parse(out) as { sform: number[][]; qform: number[][]; codes: number[]; shape: number[]; dtype: string; v: number; descrip: string };
    const expected = flipLpsRas(affineOf(v));
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        assert.ok(Math.abs(got.sform[r]![c]! - expected[4 * r + c]!) < 1e-4, `sform[${r}][${c}]`);
        // The qform is a float32 quaternion: near 180-degree rotations (as here) the recovered
        // a = sqrt(1 - b^2 - c^2 - d^2) carries float32 rounding of about 3e-4 rad.
        assert.ok(Math.abs(got.qform[r]![c]! - expected[4 * r + c]!) < 2e-3, `qform[${r}][${c}]`);
      }
    }
    assert.deepEqual(got.codes, [1, 1]);
    assert.deepEqual(got.shape, [5, 4, 3]);
    assert.equal(got.dtype, 'float32');
    assert.equal(got.v, v.data[4 + 5 * (3 + 4 * 2)]);
    assert.equal(got.descrip, 'csf-net test');
  });
});

test('writeNifti refuses a data length that does not match the shape, and other extensions', () => {
  const v = obliqueVolume('int16');
  assert.throws(() => writeNifti('/tmp/never.nii', { ...v, shape: [5, 4, 4] }), (e: unknown) => e instanceof InputError && e.rule === 'data-length');
  assert.throws(() => writeNifti('/tmp/never.img', v), (e: unknown) => e instanceof InputError && e.rule === 'nifti-extension');
});
