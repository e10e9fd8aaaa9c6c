import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';
import { NODULE_TYPES, SHAPE_CLASSES } from './synth-config.js';
import type { NoduleModel, NoduleType, ShapeClass } from './synth-config.js';
import { meanAxialDiameter, radiusAt, sampleRadialShape } from './radial-shape.js';
import type { RadialShape } from './radial-shape.js';
import { drawKey, logNormal, randomUnit, truncatedNormal, uniformIn } from './sampling.js';

/**
 * A thin tapered strand from the nodule's surface outwards; positions in units of the nodule's
 * scale. Its base radius is `baseFraction` of the scale, kept within 0.3-1 mm (nodule-appearance.ts);
 * the tip is 0.2 mm.
 */
export interface Spicule {
  readonly base: Vec3;
  readonly tip: Vec3;
  readonly baseFraction: number;
}

/** A component inside the nodule (solid core, calcification): its own shape, centred at `offset` x scale. */
export interface InnerPart {
  readonly role: 'core' | 'calcification';
  readonly shape: RadialShape;
  readonly offset: Vec3;
  /** Size relative to the nodule's scale (for a core, replaced by the core fraction over time). */
  readonly size: number;
}

export type CalcificationPattern = 'none' | 'diffuse' | 'central' | 'popcorn' | 'eccentric';

/** Everything about a subject's nodule that does not change between scans. */
export interface NoduleSpec {
  readonly type: NoduleType;
  readonly shapeClass: ShapeClass;
  readonly outer: RadialShape;
  /** Mean axial diameter of `outer` at unit scale: scale (mm) = diameter / axialUnit. */
  readonly axialUnit: number;
  readonly spicules: readonly Spicule[];
  /** The solid core's shape and offset (part-solid nodules and ground-glass ones that may solidify). */
  readonly core: InnerPart | null;
  readonly calcification: CalcificationPattern;
  readonly calcifications: readonly InnerPart[];
  readonly diameter0Mm: number;
  readonly solidHu: number;
  readonly groundGlassHu: number;
  readonly calcifiedHu: number;
  /** Core diameter / nodule diameter at T0 (0 when there is no core yet). */
  readonly coreFraction0: number;
  readonly upperLobe: boolean;
  readonly juxtapleural: boolean;
  readonly vesselContact: boolean;
}

function sampleSpicules(rng: Rng, outer: RadialShape): Spicule[] {
  const count = 24 + rng.int(22);
  const out: Spicule[] = [];
  for (let i = 0; i < count; i++) {
    const d = randomUnit(rng);
    const rho = radiusAt(outer, d[0], d[1], d[2]);
    const base: Vec3 = [d[0] * rho * 0.85, d[1] * rho * 0.85, d[2] * rho * 0.85];
    const bend = randomUnit(rng);
    const len = rho * 0.85 + rng.range(0.3, 1.0);
    const dir: Vec3 = [d[0] + 0.25 * bend[0], d[1] + 0.25 * bend[1], d[2] + 0.25 * bend[2]];
    out.push({ base, tip: [dir[0] * len, dir[1] * len, dir[2] * len], baseFraction: rng.range(0.08, 0.15) });
  }
  return out;
}

/**
 * Offset of an inner part whose radius is `size` times the body's (the body's radius is about 1),
 * keeping it inside the body: at most (0.85 - size) x eccentricity from the centre.
 */
function innerOffset(rng: Rng, size: number, eccentricity: number): Vec3 {
  const d = randomUnit(rng);
  const r = Math.max(0, 0.85 - size) * eccentricity * rng.uniform();
  return [d[0] * r, d[1] * r, d[2] * r];
}

function sampleCalcifications(rng: Rng, pattern: CalcificationPattern): InnerPart[] {
  const blob = (size: number, ecc: number): InnerPart => ({
    role: 'calcification',
    shape: sampleRadialShape(rng, 'smooth'),
    offset: innerOffset(rng, size, ecc),
    size,
  });
  switch (pattern) {
    case 'central':
      return [blob(rng.range(0.4, 0.7), 0.2)];
    case 'popcorn':
      return Array.from({ length: 3 + rng.int(4) }, () => blob(rng.range(0.15, 0.3), 1));
    case 'eccentric':
      return Array.from({ length: 1 + rng.int(2) }, () => blob(rng.range(0.12, 0.22), 1));
    default:
      return [];
  }
}

/**
 * Draws a subject's nodule at T0 given the label (1 malignant), from the distributions of
 * synth-config.ts: type, diameter, shape class, location flags and attenuation. Calcified benign
 * nodules carry a benign pattern (diffuse, central, popcorn), calcified malignant ones an
 * eccentric one (Lung-RADS treats benign patterns as category 1, clinical-models.md).
 */
export function sampleNodule(rng: Rng, label: 0 | 1, m: NoduleModel): NoduleSpec {
  const type = drawKey(rng, m.typeProbs[label], NODULE_TYPES);
  const shapeClass = drawKey(rng, m.shapeProbs[label], SHAPE_CLASSES);
  const outer = sampleRadialShape(rng, shapeClass);
  const spicules = shapeClass === 'spiculated' ? sampleSpicules(rng, outer) : [];
  const diameter0Mm = Math.min(m.maxDiameterMm, Math.max(m.minDiameterMm, logNormal(rng, m.diameterMedianMm[label], m.diameterLogSigma[label])));
  const [ggMean, ggSd] = m.groundGlassHu[label];
  const groundGlassHu = truncatedNormal(rng, ggMean, ggSd, -800, -350);
  const solidHu = truncatedNormal(rng, m.solidHu[0], m.solidHu[1], -30, 90);
  const calcifiedHu = truncatedNormal(rng, m.calcifiedHu[0], m.calcifiedHu[1], 200, 1200);
  let calcification: CalcificationPattern = 'none';
  if (type === 'calcified') {
    calcification = label === 1 ? 'eccentric' : (['diffuse', 'central', 'popcorn'] as const)[rng.int(3)]!;
  }
  const coreFraction0 = type === 'part-solid' ? uniformIn(rng, m.coreFraction[label]) : 0;
  // The core may grow to 0.75 of the nodule (growth-model.ts), so its offset leaves room for that.
  const core: InnerPart | null =
    type === 'part-solid' || type === 'ground-glass'
      ? { role: 'core', shape: sampleRadialShape(rng, 'lobulated'), offset: innerOffset(rng, 0.75, 1), size: coreFraction0 }
      : null;
  return {
    type,
    shapeClass,
    outer,
    axialUnit: meanAxialDiameter(outer),
    spicules,
    core,
    calcification,
    calcifications: sampleCalcifications(rng, calcification),
    diameter0Mm,
    solidHu,
    groundGlassHu,
    calcifiedHu,
    coreFraction0,
    upperLobe: rng.bernoulli(m.upperLobeProb[label]),
    juxtapleural: rng.bernoulli(m.juxtapleuralProb[label]),
    vesselContact: rng.bernoulli(m.vesselContactProb[label]),
  };
}
