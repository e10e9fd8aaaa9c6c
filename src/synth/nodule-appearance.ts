import type { Vec3 } from '../imaging/volume.js';
import type { NoduleType } from './synth-config.js';
import type { RadialShape } from './radial-shape.js';
import type { NoduleSpec } from './nodule-model.js';
import { diameterAt } from './growth-model.js';
import type { Growth } from './growth-model.js';

/** A solid part of the nodule placed in the anatomy frame: inside where |q - centre| <= scale * rho(u). */
export interface PlacedShape {
  readonly shape: RadialShape;
  readonly centre: Vec3;
  readonly scaleMm: number;
  readonly hu: number;
}

/** A tapered capsule in the anatomy frame (mm). */
export interface Capsule {
  readonly a: Vec3;
  readonly b: Vec3;
  readonly r0: number;
  readonly r1: number;
}

/** What the renderer draws for the nodule in one scan. */
export interface NoduleAppearance {
  readonly type: NoduleType;
  readonly diameterMm: number;
  readonly body: PlacedShape;
  readonly spicules: readonly Capsule[];
  readonly spiculeHu: number;
  /** Drawn over the body in order, each clipped to the body. */
  readonly inner: readonly PlacedShape[];
}

/** Core fraction below which a ground-glass nodule's new solid part is not yet called part-solid. */
const PART_SOLID_CORE = 0.2;
const MAX_CORE = 0.75;
const SPICULE_TIP_MM = 0.2;

/**
 * The nodule `days` after T0 at `centre` (anatomy frame): diameter from its growth course, the
 * solid core's fraction growing by coreGainPerYear (at most 0.75), ground glass densifying by
 * densifyHuPerYear (at most -300 HU), everything else scaled with the diameter.
 */
export function appearanceAt(spec: NoduleSpec, growth: Growth, centre: Vec3, days: number, capMm: number): NoduleAppearance {
  const years = days / 365;
  const diameterMm = diameterAt(spec.diameter0Mm, growth, days, capMm);
  const scaleMm = diameterMm / spec.axialUnit;
  const at = (offset: Vec3, s: number): Vec3 => [centre[0] + offset[0] * s, centre[1] + offset[1] * s, centre[2] + offset[2] * s];
  const coreFraction = spec.core ? Math.min(MAX_CORE, spec.coreFraction0 + growth.coreGainPerYear * years) : 0;
  const glassy = spec.type === 'part-solid' || spec.type === 'ground-glass';
  let type = spec.type;
  if (glassy) type = coreFraction >= PART_SOLID_CORE ? 'part-solid' : 'ground-glass';
  let bodyHu = spec.solidHu;
  if (glassy) bodyHu = Math.min(-300, spec.groundGlassHu + growth.densifyHuPerYear * years);
  if (spec.calcification === 'diffuse') bodyHu = spec.calcifiedHu;
  const inner: PlacedShape[] = [];
  if (spec.core && coreFraction > 0.05) {
    inner.push({ shape: spec.core.shape, centre: at(spec.core.offset, scaleMm), scaleMm: coreFraction * scaleMm, hu: spec.solidHu });
  }
  for (const c of spec.calcifications) {
    inner.push({ shape: c.shape, centre: at(c.offset, scaleMm), scaleMm: c.size * scaleMm, hu: spec.calcifiedHu });
  }
  return {
    type,
    diameterMm,
    body: { shape: spec.outer, centre, scaleMm, hu: bodyHu },
    spicules: spec.spicules.map((s) => ({
      a: at(s.base, scaleMm),
      b: at(s.tip, scaleMm),
      r0: Math.min(1, Math.max(0.3, s.baseFraction * scaleMm)),
      r1: SPICULE_TIP_MM,
    })),
    spiculeHu: Math.max(bodyHu, spec.solidHu - 40),
    inner,
  };
}
