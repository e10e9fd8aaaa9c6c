import { centredGrid, gridPointSampler, type Grid } from './sample-grid.js';
import type { Vec3, Volume } from './volume.js';

/** A 6-connected component of the coarse region above a threshold. */
export interface Component {
  readonly threshold: number;
  /** 0/1 per coarse voxel. */
  readonly mask: Uint8Array;
  /** Indices of its voxels, in the order they were reached. */
  readonly members: Int32Array;
  /** Voxel bounding box (inclusive) and whether it reaches the region's faces. */
  readonly min: Vec3;
  readonly max: Vec3;
  readonly touches: boolean;
}

/**
 * The cubic measurement region around a nodule: `n`^3 voxels of 1 mm along the world axes, centred
 * on the nodule, whose values are sampled from the volume (trilinear, air outside it) only when
 * first needed and then kept. Region growing from the centre therefore reads the nodule and its
 * surroundings, not the whole cube, and growing again at another threshold reads nothing twice.
 */
export class CoarseRegion {
  readonly grid: Grid;
  readonly n: number;
  private readonly values: Float32Array;
  private readonly sample: (a: number, b: number, c: number) => number;

  constructor(volume: Volume, centre: Vec3, regionMm: number) {
    this.n = Math.round(regionMm);
    this.grid = centredGrid(centre, [this.n, this.n, this.n], [1, 1, 1]);
    this.values = new Float32Array(this.n ** 3).fill(NaN);
    this.sample = gridPointSampler(volume, this.grid);
  }

  /** HU at voxel index p (i + n (j + n k)). */
  value(p: number): number {
    const v = this.values[p]!;
    if (v === v) return v; // not NaN: already sampled
    const n = this.n;
    const s = this.sample(p % n, Math.floor(p / n) % n, Math.floor(p / (n * n)));
    this.values[p] = s;
    return s;
  }

  /** The voxel above `threshold` nearest the region's centre within `radiusMm`, or -1. */
  seedNear(threshold: number, radiusMm: number): number {
    const n = this.n;
    const c = (n - 1) / 2;
    const lo = Math.max(0, Math.floor(c - radiusMm));
    const hi = Math.min(n - 1, Math.ceil(c + radiusMm));
    let best = -1;
    let bestD = radiusMm * radiusMm;
    for (let k = lo; k <= hi; k++) {
      for (let j = lo; j <= hi; j++) {
        for (let i = lo; i <= hi; i++) {
          const d = (i - c) ** 2 + (j - c) ** 2 + (k - c) ** 2;
          if (d > bestD || (d === bestD && best >= 0)) continue;
          const p = i + n * (j + n * k);
          if (this.value(p) > threshold) {
            best = p;
            bestD = d;
          }
        }
      }
    }
    return best;
  }

  /** The 6-connected component of voxels above `threshold` that contains `seed`. */
  grow(seed: number, threshold: number): Component {
    const n = this.n;
    const plane = n * n;
    const mask = new Uint8Array(n ** 3);
    const queue = new Int32Array(n ** 3);
    let tail = 0;
    const visit = (q: number): void => {
      if (mask[q] === 0 && this.value(q) > threshold) {
        mask[q] = 1;
        queue[tail++] = q;
      }
    };
    visit(seed);
    const min = [n, n, n];
    const max = [-1, -1, -1];
    for (let head = 0; head < tail; head++) {
      const p = queue[head]!;
      const ijk = [p % n, Math.floor(p / n) % n, Math.floor(p / plane)];
      for (let a = 0; a < 3; a++) {
        if (ijk[a]! < min[a]!) min[a] = ijk[a]!;
        if (ijk[a]! > max[a]!) max[a] = ijk[a]!;
      }
      if (ijk[0]! > 0) visit(p - 1);
      if (ijk[0]! + 1 < n) visit(p + 1);
      if (ijk[1]! > 0) visit(p - n);
      if (ijk[1]! + 1 < n) visit(p + n);
      if (ijk[2]! > 0) visit(p - plane);
      if (ijk[2]! + 1 < n) visit(p + plane);
    }
    const touches = [0, 1, 2].some((a) => min[a] === 0 || max[a] === n - 1);
    return { threshold, mask, members: queue.slice(0, tail), min: [min[0]!, min[1]!, min[2]!], max: [max[0]!, max[1]!, max[2]!], touches };
  }

  /** The voxels 26-adjacent to the component and not in it (its outer shell, one voxel thick). */
  ring(component: Component): Int32Array {
    const n = this.n;
    const seen = new Uint8Array(n ** 3);
    const out: number[] = [];
    for (const p of component.members) {
      const i = p % n;
      const j = Math.floor(p / n) % n;
      const k = Math.floor(p / (n * n));
      for (let dk = -1; dk <= 1; dk++) {
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const a = i + di;
            const b = j + dj;
            const c = k + dk;
            if (a < 0 || b < 0 || c < 0 || a >= n || b >= n || c >= n) continue;
            const q = a + n * (b + n * c);
            if (component.mask[q] === 0 && seen[q] === 0) {
              seen[q] = 1;
              out.push(q);
            }
          }
        }
      }
    }
    return Int32Array.from(out);
  }
}
