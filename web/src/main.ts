import './style.css';
import { ApiError, setToken, token } from './api.js';
import { h, show } from './dom.js';
import { cohortsPage } from './pages/cohorts-page.js';
import { reportPage, reportsPage } from './pages/reports-page.js';
import { studyList } from './pages/study-list.js';
import { studyPage } from './pages/study-page.js';
import { uploadPage } from './pages/upload-page.js';

/**
 * The csf-net viewer: a single page routed by the address's hash (#/, #/studies/ID, #/upload,
 * #/cohorts, #/reports, #/reports/ID, #/token). It talks only to the server that served it, with
 * the bearer token from #token=... (the link the server prints at its first start) or typed in.
 */
const root = document.getElementById('app')!;
let stop: (() => void) | null = null;

function tokenPage(note?: string): void {
  const input = h('input', { type: 'password', name: 'token', size: 48, autocomplete: 'off', 'data-testid': 'token-input' });
  const form = h('form', {}, h('label', {}, 'API token ', input), h('button', { type: 'submit' }, 'Save'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value);
    location.hash = '#/';
  });
  show(root, h('h1', {}, 'Token'), note ? h('p', { class: 'error' }, note) : null, h('p', {}, 'The server printed its token at its first start (also stored in its data folder, file "token").'), form);
}

async function route(): Promise<void> {
  stop?.();
  stop = null;
  const hash = location.hash.replace(/^#/, '') || '/';
  if (token() === null || hash === '/token') return tokenPage();
  const parts = hash.split('/').filter((p) => p !== '');
  try {
    if (parts[0] === 'studies' && parts[1]) stop = studyPage(root, parts[1]);
    else if (parts[0] === 'upload') await uploadPage(root);
    else if (parts[0] === 'cohorts') await cohortsPage(root);
    else if (parts[0] === 'reports' && parts[1]) await reportPage(root, Number(parts[1]));
    else if (parts[0] === 'reports') await reportsPage(root);
    else await studyList(root);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return tokenPage('The server refused the token.');
    show(root, h('p', { class: 'error' }, err instanceof Error ? err.message : String(err)));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
