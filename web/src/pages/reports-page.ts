import { api } from '../api.js';
import { fmt, h, show } from '../dom.js';

/** Cross-validation runs of the registry. */
export async function reportsPage(root: HTMLElement): Promise<void> {
  const reports = await api.reports();
  if (reports.length === 0) {
    show(root, h('h1', {}, 'Cross-validation reports'), h('p', {}, 'No run in the registry (csfnet cv records runs; csfnet serve --registry FILE chooses the registry).'));
    return;
  }
  show(
    root,
    h('h1', {}, 'Cross-validation reports'),
    h(
      'table',
      { 'data-testid': 'report-list' },
      h('tr', {}, h('th', {}, 'run'), h('th', {}, 'kind'), h('th', {}, 'status'), h('th', {}, 'cohort'), h('th', {}, 'started')),
      ...reports.map((r) =>
        h('tr', {}, h('td', {}, h('a', { href: `#/reports/${r.id}` }, `#${r.id}`)), h('td', {}, r.kind), h('td', {}, r.status), h('td', {}, r.cohort ?? '—'), h('td', {}, new Date(r.started_at).toLocaleString())),
      ),
    ),
  );
}

/** One run: pooled metrics per model with their intervals, folds, and the report the run wrote (sandboxed frame). */
export async function reportPage(root: HTMLElement, id: number): Promise<void> {
  const r = await api.report(id);
  const frame = h('iframe', { class: 'report', sandbox: '', title: `report of run ${id}`, 'data-testid': 'report-frame' });
  show(
    root,
    h('h1', {}, `Run #${r.id}: ${r.kind} (${r.status})`),
    h('p', { class: 'muted' }, `cohort ${r.cohort ?? '—'} · seed ${r.seed} · code ${r.code_version} · ${r.predictions} out-of-fold predictions`, r.error ? ` · error: ${r.error}` : ''),
    h('h2', {}, 'Metrics'),
    h(
      'table',
      { 'data-testid': 'report-metrics' },
      h('tr', {}, h('th', {}, 'model'), h('th', {}, 'scope'), h('th', {}, 'metric'), h('th', {}, 'value'), h('th', {}, '95% interval')),
      ...r.metrics.map((m) => h('tr', {}, h('td', {}, m.model), h('td', {}, m.scope), h('td', {}, m.name), h('td', {}, fmt(m.value, 3)), h('td', {}, m.lo === null ? '—' : `${fmt(m.lo, 3)} – ${fmt(m.hi, 3)}`))),
    ),
    h('h2', {}, 'Folds'),
    h(
      'table',
      {},
      h('tr', {}, h('th', {}, 'model'), h('th', {}, 'fold'), h('th', {}, 'best epoch'), h('th', {}, 'train / val / test')),
      ...r.folds.map((f) => h('tr', {}, h('td', {}, f.model), h('td', {}, f.fold), h('td', {}, f.best_epoch ?? '—'), h('td', {}, `${f.n_train} / ${f.n_validation} / ${f.n_test}`))),
    ),
    r.files.includes('report.html') ? h('h2', {}, 'Report') : null,
    r.files.includes('report.html') ? frame : null,
    h('p', { class: 'small' }, ...r.files.map((f) => h('span', {}, `${f} `))),
  );
  if (r.files.includes('report.html')) frame.srcdoc = await api.text(`/api/reports/${id}/files/report.html`);
}
