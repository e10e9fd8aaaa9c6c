import { InputError } from '../util/errors.js';

/**
 * Per clinical column, its categories as text in index order: index i of column c means vocab[c][i].
 * This is the `clinical_vocab` of checkpoint metadata, so a model trained on one cohort encodes
 * another cohort's subjects the same way.
 */
export type ClinicalVocab = Readonly<Record<string, readonly string[]>>;

/** A subject's clinical cells (Subject.clinical of loadCohort, or any column -> text record). */
export type ClinicalRow = Readonly<Record<string, string | number | undefined>>;

const cell = (value: string | number | undefined): string => (value === undefined ? '' : String(value).trim());

/**
 * Builds the vocabulary of `columns` from the subjects' raw cells: per column the distinct values as
 * trimmed text, sorted by UTF-16 code units (JavaScript's default sort, the same on every machine);
 * a blank or absent cell is the category "" (which sorts first), so "not known" has an index too.
 */
export function buildClinicalVocab(subjects: readonly { readonly clinical: ClinicalRow }[], columns: readonly string[]): ClinicalVocab {
  const vocab: Record<string, string[]> = {};
  for (const c of columns) {
    vocab[c] = [...new Set(subjects.map((s) => cell(s.clinical[c])))].sort();
  }
  return vocab;
}

/**
 * Encodes one subject's clinical cells as category indices, one per column in `columns` order.
 * A column absent from the row or from the vocabulary, and a value the vocabulary does not hold, are
 * InputErrors (rules "clinical-column-missing", "clinical-value-unknown") that list what is accepted.
 */
export function encodeClinical(row: ClinicalRow, columns: readonly string[], vocab: ClinicalVocab): Int32Array {
  const out = new Int32Array(columns.length);
  columns.forEach((c, n) => {
    const categories = vocab[c];
    if (categories === undefined) {
      throw new InputError(`encodeClinical: column "${c}" is not in the vocabulary (it has: ${Object.keys(vocab).join(', ')})`, {
        rule: 'clinical-column-missing',
      });
    }
    if (!(c in row)) {
      throw new InputError(`encodeClinical: the row has no column "${c}" (it has: ${Object.keys(row).join(', ')})`, { rule: 'clinical-column-missing' });
    }
    const value = cell(row[c]);
    const index = categories.indexOf(value);
    if (index < 0) {
      throw new InputError(
        `encodeClinical: ${c} = "${value}" is not a known category; accepted: ${categories.map((v) => `"${v}"`).join(', ')}`,
        { rule: 'clinical-value-unknown' },
      );
    }
    out[n] = index;
  });
  return out;
}
