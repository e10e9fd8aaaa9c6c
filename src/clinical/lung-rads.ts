import { InputError } from '../util/errors.js';
import { checkChoice, checkNumber } from './field-check.js';
import { NODULE_TYPES } from './nodule-type.js';
import type { NoduleType } from './nodule-type.js';
import type { Assumption } from './risk-result.js';

/**
 * Lung-RADS v2022 (American College of Radiology) category of one nodule, at baseline or against a
 * prior scan, with the reason in words. Thresholds as in ../shared/docs/clinical-models.md and the
 * ACR Lung-RADS v2022 assessment categories (Christensen et al., CHEST 2024;165(3):738-753):
 *
 * Solid (mean diameter d):    baseline 2: d < 6, 3: 6 to < 8, 4A: 8 to < 15, 4B: >= 15
 *                             new      2: d < 4, 3: 4 to < 6, 4A: 6 to < 8,  4B: >= 8
 *                             growing  4A: d < 8, 4B: >= 8
 * Part-solid (total d, solid component s): baseline 2: d < 6; 3: d >= 6 and s < 6; 4A: s 6 to < 8;
 *                             4B: s >= 8. New: d < 6 -> 3; with d >= 6 a new (or growing) solid
 *                             component s < 4 -> 4A, s >= 4 -> 4B.
 * Ground-glass:               baseline or new 2: d < 30, 3: d >= 30; seen before and stable or
 *                             slowly growing: 2 (reached through the stepping below).
 * Calcified (benign calcification or fat): 1.
 * Growth: mean diameter (of the solid component for part-solid nodules) up by more than 1.5 mm.
 * The definition says "within 12 months"; a longer interval is judged as given and said in the reason.
 *
 * Reading of a nodule seen before, in this order (the project's reading of v2022's rules):
 * 1. growth as above -> the growth category;
 * 2. without growth, a nodule that reached a higher baseline size category is reclassified by
 *    size ("size thresholds apply to nodules ... that enlarge, reaching a higher size category");
 * 3. otherwise it is stable or smaller: v2022's stepped management lowers a 4A stable for at
 *    least 3 months (>= 90 days) to 3 and a 3 stable for at least 6 months (>= 180 days) to 2;
 *    a 4B is not stepped down (only a proven benign cause would). The result is never above the
 *    category of the current size.
 * Diameters are rounded to one decimal first, as Lung-RADS reports them, and compared in tenths of
 * a millimetre so that boundaries are exact.
 */
export type LungRadsCategory = '1' | '2' | '3' | '4A' | '4B';

/** Category as an ordinal score (higher = more suspicious): 1, 2, 3, 4A = 4, 4B = 5. */
export const LUNG_RADS_RANK: Readonly<Record<LungRadsCategory, number>> = { '1': 1, '2': 2, '3': 3, '4A': 4, '4B': 5 };

export interface LungRadsInputs {
  /** Assumed solid (and listed) when not given. */
  readonly type?: NoduleType;
  /** Mean diameter in mm (the total diameter of a part-solid nodule). */
  readonly diameterMm: number;
  /** Mean diameter of the solid component of a part-solid nodule, mm. */
  readonly solidMm?: number;
  /** Absent: baseline screen. */
  readonly prior?: LungRadsPrior;
}

export type LungRadsPrior =
  | { readonly kind: 'new' }
  | {
      readonly kind: 'seen';
      /** Days between the prior scan and this one. */
      readonly days: number;
      readonly diameterMm: number;
      readonly solidMm?: number;
      /** Type on the prior scan; the current type when not given. */
      readonly type?: NoduleType;
    };

export interface LungRadsResult {
  readonly model: 'lung-rads-v2022';
  readonly category: LungRadsCategory;
  readonly rank: number;
  readonly reason: string;
  readonly assumed: readonly Assumption[];
}

const MODEL = 'lung-rads';
const SIZE = { min: 0, max: 300, unit: 'mm', minExclusive: true } as const;
const STEP_DOWN_DAYS: Partial<Record<LungRadsCategory, { to: LungRadsCategory; days: number; label: string }>> = {
  '4A': { to: '3', days: 90, label: '3 months' },
  '3': { to: '2', days: 180, label: '6 months' },
};

/** Lung-RADS v2022 category of one nodule. */
export function lungRads(input: LungRadsInputs): LungRadsResult {
  const assumed: Assumption[] = [];
  let type: NoduleType = 'solid';
  if (input.type === undefined) assumed.push({ field: 'type', value: 'solid', note: 'type not given: assumed solid' });
  else type = checkChoice(MODEL, 'type', input.type, NODULE_TYPES);
  const d = tenths(checkNumber(MODEL, 'diameter_mm', input.diameterMm, SIZE));
  const s = solidTenths(type, d, input.solidMm, 'solid_mm', assumed, undefined);
  const solidText = type === 'part-solid' && input.solidMm === undefined ? 'not given' : `${mm(s)} mm`;
  const done = (category: LungRadsCategory, reason: string): LungRadsResult => ({ model: 'lung-rads-v2022', category, rank: LUNG_RADS_RANK[category], reason, assumed });

  if (type === 'calcified') return done('1', 'benign calcification or fat: category 1');
  const prior = input.prior;
  if (prior === undefined) {
    const c = baseline(type, d, s, solidText);
    return done(c.category, `baseline ${c.reason}`);
  }
  if (prior.kind === 'new') {
    const c = newNodule(type, d, s, solidText);
    return done(c.category, `new ${c.reason}`);
  }
  if (prior.kind !== 'seen') throw new InputError(`${MODEL}: prior must be "new" or "seen"`, { rule: 'unknown-choice' });
  const days = checkNumber(MODEL, 'days', prior.days, { min: 0, max: 7300, unit: 'days', minExclusive: true });
  const priorType = prior.type === undefined ? type : checkChoice(MODEL, 'prior_type', prior.type, NODULE_TYPES);
  const d0 = tenths(checkNumber(MODEL, 'prior_diameter_mm', prior.diameterMm, SIZE));
  const s0 = priorType === 'part-solid' ? solidTenths(priorType, d0, prior.solidMm, 'prior_solid_mm', assumed, s) : priorType === 'solid' ? d0 : 0;
  const interval = days > 366 ? ` (judged over ${Math.round(days)} days, longer than the 12 months of the definition)` : '';

  // 1. growth
  if (type === 'solid' && d - d0 > 15) {
    const category = d < 80 ? '4A' : '4B';
    return done(category, `growing solid nodule (${mm(d0)} -> ${mm(d)} mm, > 1.5 mm)${interval}: ${d < 80 ? '< 8 mm -> 4A' : '>= 8 mm -> 4B'}`);
  }
  if (type === 'part-solid' && d >= 60) {
    const newSolid = priorType === 'ground-glass';
    if (newSolid || s - s0 > 15) {
      const what = newSolid ? `new solid component (${solidText})` : `growing solid component (${mm(s0)} -> ${mm(s)} mm, > 1.5 mm)${interval}`;
      return done(s < 40 ? '4A' : '4B', `part-solid nodule ${mm(d)} mm with a ${what}: ${s < 40 ? '< 4 mm -> 4A' : '>= 4 mm -> 4B'}`);
    }
  }
  // 2. reached a higher size category without meeting the growth definition
  const now = baseline(type, d, s, solidText);
  const before = baseline(priorType, d0, s0, `${mm(s0)} mm`);
  if (LUNG_RADS_RANK[now.category] > LUNG_RADS_RANK[before.category]) {
    return done(now.category, `enlarged into a higher size category (${mm(d0)} -> ${mm(d)} mm) without meeting the growth definition: ${now.reason}`);
  }
  // 3. stable or smaller: stepped management
  const change = `${mm(d0)} -> ${mm(d)} mm over ${Math.round(days)} days`;
  const step = STEP_DOWN_DAYS[before.category];
  let category = before.category;
  let reason = `${priorType} nodule seen before, not growing (${change}): stays category ${category}`;
  if (step !== undefined && days >= step.days) {
    category = step.to;
    reason = `${priorType} nodule seen before, stable or smaller for at least ${step.label} (${change}): category ${before.category} steps down to ${category}`;
  } else if (before.category === '4B') {
    reason = `${priorType} nodule seen before, not growing (${change}): 4B is not stepped down without a proven benign cause`;
  }
  if (LUNG_RADS_RANK[now.category] < LUNG_RADS_RANK[category]) {
    return done(now.category, `${priorType} nodule decreased (${change}): categorised by its current size, ${now.reason}`);
  }
  return done(category, reason);
}

interface Categorised {
  readonly category: LungRadsCategory;
  readonly reason: string;
}

/** Baseline category from tenths of a millimetre. */
function baseline(type: NoduleType, d: number, s: number, solidText: string): Categorised {
  switch (type) {
    case 'calcified':
      return { category: '1', reason: 'benign calcification or fat: category 1' };
    case 'solid':
      if (d < 60) return { category: '2', reason: `solid nodule ${mm(d)} mm: < 6 mm -> 2` };
      if (d < 80) return { category: '3', reason: `solid nodule ${mm(d)} mm: 6 to < 8 mm -> 3` };
      if (d < 150) return { category: '4A', reason: `solid nodule ${mm(d)} mm: 8 to < 15 mm -> 4A` };
      return { category: '4B', reason: `solid nodule ${mm(d)} mm: >= 15 mm -> 4B` };
    case 'part-solid':
      if (d < 60) return { category: '2', reason: `part-solid nodule ${mm(d)} mm total: < 6 mm -> 2` };
      if (s < 60) return { category: '3', reason: `part-solid nodule ${mm(d)} mm total, solid component ${solidText}: >= 6 mm total with solid < 6 mm -> 3` };
      if (s < 80) return { category: '4A', reason: `part-solid nodule, solid component ${mm(s)} mm: 6 to < 8 mm -> 4A` };
      return { category: '4B', reason: `part-solid nodule, solid component ${mm(s)} mm: >= 8 mm -> 4B` };
    case 'ground-glass':
      if (d < 300) return { category: '2', reason: `ground-glass nodule ${mm(d)} mm: < 30 mm -> 2` };
      return { category: '3', reason: `ground-glass nodule ${mm(d)} mm: >= 30 mm -> 3` };
  }
}

/** Category of a nodule new since the prior scan. */
function newNodule(type: NoduleType, d: number, s: number, solidText: string): Categorised {
  switch (type) {
    case 'solid':
      if (d < 40) return { category: '2', reason: `solid nodule ${mm(d)} mm: < 4 mm -> 2` };
      if (d < 60) return { category: '3', reason: `solid nodule ${mm(d)} mm: 4 to < 6 mm -> 3` };
      if (d < 80) return { category: '4A', reason: `solid nodule ${mm(d)} mm: 6 to < 8 mm -> 4A` };
      return { category: '4B', reason: `solid nodule ${mm(d)} mm: >= 8 mm -> 4B` };
    case 'part-solid':
      if (d < 60) return { category: '3', reason: `part-solid nodule ${mm(d)} mm total: < 6 mm -> 3` };
      if (s < 40) return { category: '4A', reason: `part-solid nodule ${mm(d)} mm total with a new solid component (${solidText}): < 4 mm -> 4A` };
      return { category: '4B', reason: `part-solid nodule ${mm(d)} mm total with a new solid component (${solidText}): >= 4 mm -> 4B` };
    default:
      return baseline(type, d, s, solidText);
  }
}

/** Solid component of a part-solid nodule in tenths (0 for other types), checked against the total. */
function solidTenths(type: NoduleType, total: number, value: number | undefined, field: string, assumed: Assumption[], fallback: number | undefined): number {
  if (type !== 'part-solid') return type === 'solid' ? total : 0;
  if (value === undefined) {
    if (fallback !== undefined) {
      assumed.push({ field, value: mm(fallback), note: `${field} not given: assumed unchanged (no growth of the solid component)` });
      return fallback;
    }
    assumed.push({ field, value: 0, note: `${field} not given: assumed below every solid-component threshold` });
    return 0;
  }
  const s = tenths(checkNumber(MODEL, field, value, { min: 0, max: 300, unit: 'mm', minExclusive: true }));
  if (s > total) throw new InputError(`${MODEL}: ${field} (${mm(s)} mm) cannot exceed the total diameter (${mm(total)} mm)`, { rule: 'inconsistent' });
  return s;
}

function tenths(mmValue: number): number {
  return Math.round(mmValue * 10);
}

function mm(t: number): string {
  return (t / 10).toFixed(1);
}
