import type { F32 } from '../../tensor/kernels.js';

/** Reference row gather (embedding lookup) and its scatter-add gradient. */
export function gather(table: F32, idx: Int32Array, out: F32, dim: number): void {
  for (let i = 0; i < idx.length; i++) out.set(table.subarray(idx[i]! * dim, (idx[i]! + 1) * dim), i * dim);
}

export function gatherBackward(dout: F32, idx: Int32Array, dtable: F32, dim: number): void {
  dtable.fill(0);
  for (let i = 0; i < idx.length; i++) {
    const t = idx[i]! * dim;
    for (let j = 0; j < dim; j++) dtable[t + j]! += dout[i * dim + j]!;
  }
}
