import { api, ApiError } from '../api.js';
import { h, show } from '../dom.js';

const CLINICAL = [
  ['age', 'age (years at T0)'],
  ['gender', 'gender (1 male, 2 female)'],
  ['race', 'race (NLST code)'],
  ['cigsmok', 'cigsmok (1 current, 0 former)'],
  ['pkyr', 'pack-years'],
  ['smokeyr', 'years smoked'],
  ['famhist', 'family history (0/1)'],
  ['emphysema', 'emphysema (0/1)'],
] as const;

const num = (form: HTMLFormElement, name: string): number | undefined => {
  const el = form.elements.namedItem(name) as HTMLInputElement | null;
  const v = el?.value.trim() ?? '';
  return v === '' ? undefined : Number(v);
};

/**
 * The upload form: T0 and T1 (a zip of a DICOM series, a NIfTI file or a .mha), the nodule centre on
 * each (LPS mm), the days between them, optional diameters and type, and the clinical fields the
 * server's checkpoint needs (listed from /api/info). On success it opens the new study.
 */
export async function uploadPage(root: HTMLElement): Promise<void> {
  const info = await api.info();
  const needed = info.checkpoint?.clinical_columns ?? [];
  const field = (name: string, label: string, attrs: Record<string, string | number> = {}) =>
    h('label', {}, label, needed.includes(name) ? ' *' : '', h('input', { name, type: 'number', step: 'any', ...attrs }));
  const scan = (tp: 't0' | 't1') =>
    h(
      'fieldset',
      {},
      h('legend', {}, tp.toUpperCase()),
      h('label', {}, 'scan file ', h('input', { name: tp, type: 'file', required: true, accept: '.zip,.nii,.gz,.mha' })),
      field(`${tp}_x`, 'x (mm, LPS) ', { required: 'required' }),
      field(`${tp}_y`, 'y ', { required: 'required' }),
      field(`${tp}_z`, 'z ', { required: 'required' }),
      field(`${tp}_diameter_mm`, 'diameter (mm, optional) '),
      h(
        'label',
        {},
        'type ',
        h('select', { name: `${tp}_type` }, h('option', { value: '' }, '—'), ...['solid', 'part-solid', 'ground-glass', 'calcified'].map((t) => h('option', { value: t }, t))),
      ),
    );
  const message = h('p', { 'data-testid': 'upload-message' });
  const form = h(
    'form',
    { class: 'upload', 'data-testid': 'upload-form' },
    h('label', {}, 'label (no patient names) ', h('input', { name: 'label', type: 'text', maxlength: 80 })),
    field('days', 'days from T0 to T1 ', { required: 'required', min: 1 }),
    h('div', { class: 'row' }, scan('t0'), scan('t1')),
    h('fieldset', {}, h('legend', {}, 'clinical (NLST codes)'), ...CLINICAL.map(([name, label]) => field(name, `${label} `))),
    h('p', { class: 'muted small' }, `Up to ${(info.max_upload_bytes / 1024 ** 2).toFixed(0)} MiB in all. `, needed.length ? `* needed by the network (${needed.join(', ')}).` : 'No checkpoint on this server: no network prediction.'),
    h('button', { type: 'submit', 'data-testid': 'upload-submit' }, 'Upload'),
    message,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  show(root, h('h1', {}, 'Upload a follow-up pair'), form);

  async function submit(): Promise<void> {
    const scanInput = (tp: 't0' | 't1') => {
      const type = (form.elements.namedItem(`${tp}_type`) as HTMLSelectElement).value;
      return { x: num(form, `${tp}_x`), y: num(form, `${tp}_y`), z: num(form, `${tp}_z`), diameter_mm: num(form, `${tp}_diameter_mm`), nodule_type: type === '' ? undefined : type };
    };
    const clinical = Object.fromEntries(CLINICAL.map(([name]) => [name, num(form, name)]).filter(([, v]) => v !== undefined));
    const label = (form.elements.namedItem('label') as HTMLInputElement).value.trim();
    const study = { ...(label ? { label } : {}), days: num(form, 'days'), t0: scanInput('t0'), t1: scanInput('t1'), clinical };
    const data = new FormData();
    for (const tp of ['t0', 't1'] as const) {
      const file = (form.elements.namedItem(tp) as HTMLInputElement).files?.[0];
      if (file) data.append(tp, file);
    }
    data.append('study', JSON.stringify(study));
    show(message, 'Uploading and reading the scans…');
    try {
      const accepted = await api.upload(data);
      location.hash = `#/studies/${accepted.study_id}`;
    } catch (err) {
      const where = err instanceof ApiError && err.body?.error.where ? ` [${err.body.error.where}]` : '';
      show(message, h('span', { class: 'error' }, `${err instanceof Error ? err.message : String(err)}${where}`));
    }
  }
}
