import type { Tensor } from '../tensor/index.js';
import { slice } from '../tensor/index.js';
import type { FusedPooling } from './variants.js';

/**
 * The central 2 x 2 cells in H and W (all of D) of a map (B, C, D, H, W), where a patch centred on
 * the nodule has it; a side of 2 or fewer cells is kept whole.
 */
export function centralCells(map: Tensor): Tensor {
  const [, , , h, w] = map.shape as [number, number, number, number, number];
  const range = (n: number): [number, number] => (n <= 2 ? [0, n] : [(n >> 1) - 1, (n >> 1) + 1]);
  return slice(slice(map, 3, ...range(h)), 4, ...range(w));
}

/** The cells of a fused map that a pooling averages: all of them, or the central ones. */
export function pooledCells(map: Tensor, pooling: FusedPooling = 'global'): Tensor {
  return pooling === 'centre' ? centralCells(map) : map;
}
