import { record } from '../autograd.js';
import { check } from '../errors.js';
import { kernel } from '../kernels.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Rows of `table` (rows, dim) picked by int32 `idx` of any shape -> (...idx.shape, dim); gradient scatter-adds. */
export function embedding(table: Tensor, idx: Tensor): Tensor {
  check(table.rank === 2, 'embedding', () => `table must be (rows, dim), got ${shapeToString(table.shape)}`);
  const [rows, dim] = table.shape as [number, number];
  const ids = idx.i32('embedding');
  for (let i = 0; i < ids.length; i++) {
    check(ids[i]! >= 0 && ids[i]! < rows, 'embedding', () => `index ${ids[i]} at ${i} is outside the table's ${rows} rows`);
  }
  const y = new Float32Array(ids.length * dim);
  kernel('gather')(table.f32('embedding'), ids, y, dim);
  const out = new Tensor(y, [...idx.shape, dim]);
  return record('embedding', [table], out, (dy) => {
    const dt = new Float32Array(table.size);
    kernel('gatherBackward')(dy.f32('embedding.grad'), ids, dt, dim);
    return [new Tensor(dt, table.shape)];
  });
}
