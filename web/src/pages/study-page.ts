import { api, ApiError, type JobView, type Measurement, type StudyResult, type StudyView } from '../api.js';
import { fmt, h, show } from '../dom.js';
import { readNifti1 } from '../nifti.js';
import { PatchView } from '../patch-view.js';
import { scanViewer } from '../scan-viewer.js';

const POLL_MS = 1000;

/** The study page: job status until the prediction is done, then scans, patches, growth and scores. Returns a stop function. */
export function studyPage(root: HTMLElement, id: string): () => void {
  let stopped = false;
  let timer: number | undefined;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      const study = await api.study(id);
      const job = study.jobs[study.jobs.length - 1]!;
      if (job.status === 'queued' || job.status === 'running') {
        show(root, header(study), h('p', { class: 'status', 'data-testid': 'job-status' }, `Job ${job.status}${job.attempts > 1 ? ` (attempt ${job.attempts})` : ''}…`));
        timer = window.setTimeout(() => void tick(), POLL_MS);
        return;
      }
      if (job.status === 'failed') {
        const again = h('button', { 'data-testid': 'run-again' }, 'Run the prediction again');
        again.addEventListener('click', () => void api.rerun(id).then(() => tick()));
        show(root, header(study), h('p', { class: 'error', 'data-testid': 'job-status' }, `Job failed: ${job.error?.message ?? 'no reason recorded'}${job.error?.rule ? ` (${job.error.rule})` : ''}`), again);
        return;
      }
      await renderDone(root, study, job);
    } catch (err) {
      show(root, h('p', { class: 'error' }, err instanceof ApiError ? err.message : String(err)));
    }
  };
  void tick();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

function header(study: StudyView): HTMLElement {
  const src = study.source.kind === 'cohort' ? `cohort ${study.source.cohort}, subject ${study.source.subject_id}` : 'upload';
  return h('section', {}, h('h1', { 'data-testid': 'study-label' }, study.label), h('p', { class: 'muted' }, `${src} · ${new Date(study.created_at).toLocaleString()} · T1 ${study.input.days} days after T0`));
}

async function renderDone(root: HTMLElement, study: StudyView, job: JobView): Promise<void> {
  const r = job.result!;
  const scans = (['t0', 't1'] as const).map((tp) =>
    scanViewer(`${tp.toUpperCase()} scan`, r.links[tp], [study.input[tp].x, study.input[tp].y, study.input[tp].z], `scan-${tp}`),
  );
  const patchRow = h('div', { class: 'row' }, h('p', { class: 'muted' }, 'loading patches…'));
  const slice = h('input', { type: 'range', min: 0, max: 15, value: 8, 'data-testid': 'slice-slider' });
  const opacity = h('input', { type: 'range', min: 0, max: 100, value: 40, 'data-testid': 'opacity-slider' });
  show(
    root,
    header(study),
    summary(r),
    h('h2', {}, 'Scans'),
    h('div', { class: 'row' }, ...scans.map((s) => s.element)),
    h('h2', {}, 'Model input patches (16 × 64 × 64 at 1 mm) and Grad-CAM'),
    h('div', { class: 'controls' }, h('label', {}, 'Slice ', slice), h('label', {}, 'Grad-CAM opacity ', opacity)),
    patchRow,
    growth(r),
    scores(r),
  );
  for (const s of scans) void s.load();
  const load = async (link: string | null) => (link === null ? null : readNifti1(await api.bytes(link)));
  const [p0, p1, c0, c1] = await Promise.all([load(r.links.t0_patch), load(r.links.t1_patch), load(r.links.t0_cam), load(r.links.t1_cam)]);
  const views = [new PatchView('T0 patch', p0!, c0, 'patch-t0'), new PatchView('T1 patch', p1!, c1, 'patch-t1')];
  show(patchRow, ...views.map((v) => v.element));
  slice.addEventListener('input', () => views.forEach((v) => v.setSlice(Number(slice.value))));
  opacity.addEventListener('input', () => views.forEach((v) => v.setOpacity(Number(opacity.value) / 100)));
}

function summary(r: StudyResult): HTMLElement {
  const p = r.prediction;
  return h(
    'section',
    { class: 'cards' },
    h('div', { class: 'card' }, h('h3', {}, 'P(malignant)'), h('p', { class: 'big', 'data-testid': 'p-malignant' }, p ? p.p_malignant.toFixed(3) : 'n/a'), h('p', { class: 'muted' }, r.prediction_note)),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'Lung-RADS v2022'),
      h('p', { class: 'big', 'data-testid': 'lung-rads-category' }, r.lung_rads.category ?? 'n/a'),
      h('p', {}, r.lung_rads.detail),
      assumptions(r.lung_rads.assumed, r.lung_rads.missing),
    ),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'Brock (model 2b)'),
      h('p', { class: 'big', 'data-testid': 'brock-p' }, r.brock.p === null ? 'n/a' : r.brock.p.toFixed(3)),
      h('p', {}, r.brock.detail),
      assumptions(r.brock.assumed, r.brock.missing),
    ),
  );
}

function assumptions(assumed: readonly { field: string; note: string }[], missing: readonly string[]): HTMLElement | null {
  if (assumed.length === 0 && missing.length === 0) return null;
  return h('ul', { class: 'muted small' }, ...missing.map((m) => h('li', {}, `missing: ${m}`)), ...assumed.map((a) => h('li', {}, a.note)));
}

function growth(r: StudyResult): HTMLElement {
  const m = r.measurements;
  const row = (name: string, f: (x: Measurement) => string) => h('tr', {}, h('th', {}, name), h('td', {}, f(m.t0)), h('td', {}, f(m.t1)));
  const g = r.growth;
  return h(
    'section',
    { 'data-testid': 'growth' },
    h('h2', {}, 'Growth'),
    h(
      'table',
      {},
      h('tr', {}, h('th', {}, ''), h('th', {}, 'T0'), h('th', {}, 'T1')),
      row('diameter used (mm)', (x) => `${fmt(x.diameter_used_mm)}${x.diameter_source ? ` (${x.diameter_source})` : ''}`),
      row('measured mean axial diameter (mm)', (x) => fmt(x.mean_diameter_mm)),
      row('long × short axis (mm)', (x) => `${fmt(x.long_axis_mm)} × ${fmt(x.short_axis_mm)}`),
      row('volume (mm³)', (x) => fmt(x.volume_mm3, 0)),
      row('segmentation', (x) => x.note),
    ),
    h(
      'p',
      {},
      `Over ${g.days} days: diameter change ${fmt(g.diameter_change_mm, 1, ' mm')}, volume ratio ${fmt(g.volume_ratio, 2)}, `,
      h('span', { 'data-testid': 'vdt' }, `VDT ${vdtText(g)}`),
      `. ${g.detail}`,
    ),
  );
}

/** VDT in words: days; infinite when the size did not change; n/a without two sizes. */
function vdtText(g: StudyResult['growth']): string {
  if (g.vdt_days !== null) return `${Math.round(g.vdt_days)} days${g.vdt_days < 0 ? ' (shrinking: halving time)' : ''}`;
  return g.interpretation === null ? 'n/a' : 'infinite (no change in size)';
}

function scores(r: StudyResult): HTMLElement {
  return h(
    'section',
    {},
    h('h2', {}, 'All clinical rules'),
    h(
      'table',
      {},
      h('tr', {}, h('th', {}, 'rule'), h('th', {}, 'score'), h('th', {}, 'detail')),
      ...r.scores.map((s) => h('tr', {}, h('td', {}, s.rule), h('td', {}, s.score === null ? '—' : s.score.toPrecision(4)), h('td', {}, s.detail))),
    ),
  );
}
