import { api, ApiError } from '../api.js';
import { h, show } from '../dom.js';

/** Cohorts the server holds: their subjects, and a button to predict one. */
export async function cohortsPage(root: HTMLElement): Promise<void> {
  const cohorts = await api.cohorts();
  if (cohorts.length === 0) {
    show(root, h('h1', {}, 'Cohorts'), h('p', {}, 'No cohort on this server (start it with csfnet serve --cohort DIR).'));
    return;
  }
  const sections = await Promise.all(
    cohorts.map(async (c) => {
      const subjects = await api.cohortSubjects(c.name);
      const message = h('p');
      const predict = async (subject: string): Promise<void> => {
        show(message, `Reading the scans of ${subject}…`);
        try {
          const accepted = await api.predictSubject(c.name, subject);
          location.hash = `#/studies/${accepted.study_id}`;
        } catch (err) {
          show(message, h('span', { class: 'error' }, err instanceof ApiError ? err.message : String(err)));
        }
      };
      return h(
        'section',
        {},
        h('h2', {}, `${c.name} (${c.usable} of ${c.subjects} subjects usable)`),
        message,
        h(
          'table',
          {},
          h('tr', {}, h('th', {}, 'subject'), h('th', {}, 'label'), h('th', {}, 'time points'), h('th', {}, '')),
          ...subjects.map((s) =>
            h(
              'tr',
              {},
              h('td', {}, s.id),
              h('td', {}, s.label === null ? '—' : s.label === 1 ? 'malignant' : 'benign'),
              h('td', {}, s.timepoints.join(', ')),
              h('td', {}, s.usable ? h('button', { onclick: () => void predict(s.id) }, 'Predict') : h('span', { class: 'muted small' }, s.problems.join('; '))),
            ),
          ),
        ),
      );
    }),
  );
  show(root, h('h1', {}, 'Cohorts'), ...sections);
}
