import { bearer } from './server-process.js';

export interface UploadParts {
  readonly t0?: Uint8Array | null;
  readonly t1?: Uint8Array | null;
  /** The `study` field: an object is sent as JSON, a string as it is. */
  readonly study?: unknown;
}

/** POSTs a multipart upload to /api/studies and returns the status and the JSON body. */
export async function postStudy(url: string, token: string, parts: UploadParts): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  for (const tp of ['t0', 't1'] as const) {
    const data = parts[tp];
    if (data) form.append(tp, new Blob([data]), `${tp}.bin`);
  }
  if (parts.study !== undefined) form.append('study', typeof parts.study === 'string' ? parts.study : JSON.stringify(parts.study));
  const res = await fetch(`${url}/api/studies`, { method: 'POST', body: form, headers: bearer(token) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** GET with the token; returns status and JSON. */
export async function getJson(url: string, token: string | null, path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${url}${path}`, { headers: token === null ? {} : bearer(token) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), headers: res.headers };
}
