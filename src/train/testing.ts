import { Rng } from '../util/random.js';
import type { SubjectSample } from './sample.js';
import { PATCH_SIZE } from './sample.js';

/**
 * Small made-up subjects for trainer tests: noise patches where malignant subjects' nodule (a
 * bright cube at the centre) grows from T0 to T1 and benign ones' does not; clinical column 0
 * equals the label when `clinicalSignal` is set, else is random.
 */
export function toySubjects(n: number, seed: number, clinicalSignal = false): SubjectSample[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = (i % 2) as 0 | 1;
    const patch = (half: number): Float32Array => {
      const p = new Float32Array(PATCH_SIZE);
      for (let k = 0; k < p.length; k++) p[k] = 0.2 + 0.05 * rng.normal();
      for (let z = 8 - Math.min(half, 8); z < 8 + Math.min(half, 8); z++) {
        for (let y = 32 - half; y < 32 + half; y++) for (let x = 32 - half; x < 32 + half; x++) p[(z * 64 + y) * 64 + x] = 0.7;
      }
      return p;
    };
    const r = 2 + rng.int(3);
    return {
      id: `S${String(i).padStart(3, '0')}`,
      label,
      t0: patch(r),
      t1: patch(label ? r + 3 : r),
      clinical: Int32Array.from([clinicalSignal ? label : rng.int(2), rng.int(2)]),
    };
  });
}

/** Toy subjects with the cube's edge (mm at 1 mm voxels) recorded as the diameter at each time point. */
export function withDiameters(subjects: SubjectSample[]): SubjectSample[] {
  const edge = (p: Float32Array | null): number => {
    let n = 0;
    for (let x = 0; x < 64; x++) if (p![(8 * 64 + 32) * 64 + x]! > 0.5) n++;
    return n;
  };
  return subjects.map((s) => ({ ...s, record: { subjectId: s.id, t0: { diameterMm: edge(s.t0) }, t1: { diameterMm: edge(s.t1) } } }));
}
