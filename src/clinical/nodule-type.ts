/**
 * Nodule attenuation types, spelled as the cohort format spells them (../shared/docs/cohort-format.md,
 * scans.csv `nodule_type`). "ground-glass" is the non-solid nodule of Brock and Lung-RADS;
 * "calcified" stands for a benign pattern of calcification (or fat), Lung-RADS category 1.
 */
export const NODULE_TYPES = ['solid', 'part-solid', 'ground-glass', 'calcified'] as const;

export type NoduleType = (typeof NODULE_TYPES)[number];
