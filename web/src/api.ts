import type {
  Accepted,
  CohortSubject,
  CohortSummary,
  ErrorBody,
  JobView,
  ReportDetail,
  ReportSummary,
  ServerInfo,
  StudySummary,
  StudyView,
} from '../../src/server/api-types.js';

export type * from '../../src/server/api-types.js';

const TOKEN_KEY = 'csfnet.token';

/** The bearer token: from the page's #token= fragment once (then removed from the address), else stored. */
export function token(): string | null {
  const m = /[#&]token=([^&]+)/.exec(location.hash);
  if (m) {
    localStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]!));
    history.replaceState(null, '', `${location.pathname}#/`);
  }
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string): void {
  localStorage.setItem(TOKEN_KEY, value.trim());
}

/** An API error with the server's JSON body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.error.message ?? `HTTP ${status}`);
  }
}

export function authHeaders(): Record<string, string> {
  const t = token();
  return t === null ? {} : { authorization: `Bearer ${t}` };
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { ...init, headers: { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) } });
  const text = await res.text();
  const body: unknown = text === '' ? null : JSON.parse(text);
  if (!res.ok) throw new ApiError(res.status, body as ErrorBody | null);
  return body as T;
}

export const api = {
  info: () => request<ServerInfo>('/api/info'),
  studies: () => request<{ studies: StudySummary[] }>('/api/studies').then((r) => r.studies),
  study: (id: string) => request<StudyView>(`/api/studies/${encodeURIComponent(id)}`),
  job: (id: string) => request<JobView>(`/api/jobs/${encodeURIComponent(id)}`),
  upload: (form: FormData) => request<Accepted>('/api/studies', { method: 'POST', body: form }),
  rerun: (id: string) => request<Accepted>(`/api/studies/${encodeURIComponent(id)}/jobs`, { method: 'POST' }),
  cohorts: () => request<{ cohorts: CohortSummary[] }>('/api/cohorts').then((r) => r.cohorts),
  cohortSubjects: (name: string) => request<{ subjects: CohortSubject[] }>(`/api/cohorts/${encodeURIComponent(name)}/subjects`).then((r) => r.subjects),
  predictSubject: (name: string, subject: string) =>
    request<Accepted>(`/api/cohorts/${encodeURIComponent(name)}/subjects/${encodeURIComponent(subject)}/predict`, { method: 'POST' }),
  reports: () => request<{ reports: ReportSummary[] }>('/api/reports').then((r) => r.reports),
  report: (id: number) => request<ReportDetail>(`/api/reports/${id}`),
  /** Raw bytes of a file the API serves (a volume, a report file). */
  bytes: async (path: string): Promise<ArrayBuffer> => {
    const res = await fetch(path, { headers: authHeaders() });
    if (!res.ok) throw new ApiError(res.status, null);
    return res.arrayBuffer();
  },
  text: async (path: string): Promise<string> => {
    const res = await fetch(path, { headers: authHeaders() });
    if (!res.ok) throw new ApiError(res.status, null);
    return res.text();
  },
};
