import { api } from '../api.js';
import { h, show } from '../dom.js';

/** The list of studies, newest first, with their job status, P(malignant) and Lung-RADS. */
export async function studyList(root: HTMLElement): Promise<void> {
  const studies = await api.studies();
  if (studies.length === 0) {
    show(root, h('h1', {}, 'Studies'), h('p', {}, 'No study yet. ', h('a', { href: '#/upload' }, 'Upload two scans'), ' or predict a cohort subject.'));
    return;
  }
  show(
    root,
    h('h1', {}, 'Studies'),
    h(
      'table',
      { 'data-testid': 'study-list' },
      h('tr', {}, h('th', {}, 'study'), h('th', {}, 'created'), h('th', {}, 'job'), h('th', {}, 'P(malignant)'), h('th', {}, 'Lung-RADS')),
      ...studies.map((s) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/studies/${s.id}` }, s.label)),
          h('td', {}, new Date(s.created_at).toLocaleString()),
          h('td', {}, s.job.status),
          h('td', {}, s.p_malignant === null ? '—' : s.p_malignant.toFixed(3)),
          h('td', {}, s.lung_rads ?? '—'),
        ),
      ),
    ),
  );
}
