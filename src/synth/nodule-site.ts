import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';
import type { Thorax } from './thorax.js';
import { ellipseSd, innerWallsSd, isUpperLobe, lungSd } from './thorax.js';

export interface SiteRequest {
  readonly upperLobe: boolean;
  readonly juxtapleural: boolean;
  /** Nodule radius (mm) at T0. */
  readonly radiusMm: number;
  /** Largest distance from the centre the nodule reaches in any scan (growth, spicules). */
  readonly reachMm: number;
}

/**
 * A nodule centre in the anatomy frame, in the requested lobe. An intraparenchymal nodule lies at
 * least its reach + 3 mm inside the lung in every scan (it never touches a wall, even after
 * growth); a juxtapleural one is pushed outwards along the ray from the thorax axis until its
 * centre is 0.5-0.9 T0 radii from the costal pleura, so that it touches the chest wall, and stays
 * its reach + 2 mm from the other walls. Rejection sampling; throws if no site is found (a thorax too small for the nodule).
 */
export function sampleNoduleSite(rng: Rng, t: Thorax, req: SiteRequest): Vec3 {
  const r = req.radiusMm;
  const reach = Math.max(r, req.reachMm);
  for (let attempt = 0; attempt < 5000; attempt++) {
    let q: Vec3 = [rng.range(-t.cavityA, t.cavityA), rng.range(-t.cavityB, t.cavityB), rng.range(t.diaphragmZ, t.apexZ)];
    if (lungSd(t, q[0], q[1], q[2]) > -((req.juxtapleural ? r : reach) + 3)) continue;
    if (req.juxtapleural) {
      const target = -r * rng.range(0.5, 0.9);
      let lo = 1;
      let hi = 4;
      for (let it = 0; it < 50; it++) {
        const mid = (lo + hi) / 2;
        if (ellipseSd(q[0] * mid, q[1] * mid, t.cavityA, t.cavityB) < target) lo = mid;
        else hi = mid;
      }
      const s = (lo + hi) / 2;
      q = [q[0] * s, q[1] * s, q[2]];
      // Only the costal pleura may be the nearest boundary: other walls at least r + 2 mm away.
      const cavity = ellipseSd(q[0], q[1], t.cavityA, t.cavityB);
      if (Math.abs(cavity - target) > 0.1) continue;
      const others = innerWallsSd(t, q[0], q[1], q[2]);
      if (others > -(reach + 2)) continue;
    }
    if (isUpperLobe(t, q) !== req.upperLobe) continue;
    return q;
  }
  throw new RangeError(`sampleNoduleSite: no site for a nodule of radius ${r.toFixed(1)} mm, reach ${reach.toFixed(1)} mm (upper lobe ${req.upperLobe}, juxtapleural ${req.juxtapleural})`);
}

