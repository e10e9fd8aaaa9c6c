import type { Vec3 } from '../imaging/volume.js';
import type { Scene } from './render-scan.js';
import type { SubjectPlan } from './subject-plan.js';
import { subjectRng } from './subject-plan.js';
import { grazingVessel, sampleVesselTrees, segmentDistance } from './vessel-tree.js';
import { ValueNoise } from './value-noise.js';
import { voxelToWorld } from '../imaging/volume.js';
import { worldToAnatomy } from './rigid-pose.js';

/** Anatomy-frame box holding every scan's field of view, plus a margin. */
function scannedBox(plan: SubjectPlan, marginMm: number): { origin: Vec3; extent: Vec3 } {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const s of plan.scans) {
    const g = s.geometry;
    const grid = { spacing: g.spacing, origin: g.origin, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    for (let m = 0; m < 8; m++) {
      const w = voxelToWorld(grid, [m & 1 ? g.shape[0] - 1 : 0, m & 2 ? g.shape[1] - 1 : 0, m & 4 ? g.shape[2] - 1 : 0]);
      const q = worldToAnatomy(g.pose, w);
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a]!, q[a]! - marginMm);
        hi[a] = Math.max(hi[a]!, q[a]! + marginMm);
      }
    }
  }
  return { origin: [lo[0]!, lo[1]!, lo[2]!], extent: [hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!] };
}

/**
 * The subject's anatomy shared by its scans: vascular trees of the lungs the scans can see, kept
 * clear of the nodule (plus a vessel grazing the nodule when the nodule touches one), lung texture
 * (HU, octaves at 4 mm and 2 mm) and the emphysema field (6 mm), over the box the scans cover.
 * Drawn from the subject's own streams, independent of the scans' draws.
 */
export function buildScene(seed: number, plan: SubjectPlan): Scene {
  const rng = subjectRng(seed, plan.index);
  // Vessels course around a nodule: tree segments that would pass through it or within 1.5 mm of
  // the largest extent it reaches in any scan are left out, so only a vessel-contact nodule
  // (below) touches a vessel.
  const clearance = plan.reachMm + 1.5;
  const { origin, extent } = scannedBox(plan, 4);
  const sides = ([-1, 1] as const).filter((side) => (side < 0 ? origin[0] < 0 : origin[0] + extent[0] > 0));
  const vessels = sampleVesselTrees(rng.fork('vessels'), plan.thorax, sides).filter(
    (c) => segmentDistance(c.a, c.b, plan.centre).d > clearance + Math.max(c.r0, c.r1),
  );
  if (plan.nodule.vesselContact) {
    vessels.push(grazingVessel(rng.fork('grazing-vessel'), plan.thorax, plan.centre, plan.nodule.diameter0Mm / 2));
  }
  const texture = rng.fork('texture');
  return {
    thorax: plan.thorax,
    emphysema: plan.clinical.emphysema === 1,
    texture: ValueNoise.random(texture.fork('fine'), origin, extent, 2).plus(20, ValueNoise.random(texture.fork('coarse'), origin, extent, 4), 30),
    emphysemaField: ValueNoise.random(texture.fork('emphysema'), origin, plan.clinical.emphysema === 1 ? extent : [0, 0, 0], 6),
    vessels,
  };
}
