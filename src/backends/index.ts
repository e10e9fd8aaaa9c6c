import type { Backend } from '../tensor/kernels.js';
import { setBackend } from '../tensor/kernels.js';
import { loadNativeBackend } from './native/index.js';
import type { NativeInfo } from './native/index.js';
import { referenceBackend } from './reference/index.js';

export type BackendChoice = 'reference' | 'native' | 'auto';

/** Which backend runs the ops and why (the text of the once-only stderr line). */
export interface BackendSelection {
  name: 'reference' | 'native';
  /** Thread count and instruction set when native. */
  native: NativeInfo | null;
  /** One line: the backend in use and the reason. */
  line: string;
}

export interface UseBackendOptions {
  /** Native thread count (default CSFNET_THREADS, else the cores available). */
  threads?: number;
  /** Where the once-only line goes; default stderr. Pass null to stay silent. */
  announce?: ((line: string) => void) | null;
  /** Announce the native backend too (by default only a fallback to the reference backend is announced). */
  verbose?: boolean;
}

const CHOICES: readonly BackendChoice[] = ['reference', 'native', 'auto'];
let selection: BackendSelection | null = null;
let announced = false;

/** CSFNET_BACKEND when set to a valid choice, else undefined (an invalid value is reported in the line). */
function choiceFromEnv(): { choice?: BackendChoice; note?: string } {
  const raw = process.env.CSFNET_BACKEND;
  if (raw === undefined || raw === '') return {};
  if ((CHOICES as readonly string[]).includes(raw)) return { choice: raw as BackendChoice };
  return { note: `CSFNET_BACKEND=${raw} ignored (expected reference, native or auto)` };
}

/**
 * Loads the kernels and makes a backend active. `choice` 'auto' (the default) takes CSFNET_BACKEND
 * when set, then the native backend when its addon is built and the CPU has AVX2/FMA, else the
 * reference one. An explicit 'native' that cannot load falls back to the reference backend too, so
 * csf-net always runs; the line says why. The line is written once per process (stderr by default)
 * when csf-net runs on the reference backend, or always with `verbose`, so a normal run stays quiet.
 * The reference backend stays registered as the fallback for kernels the native one lacks.
 */
export function useBackend(choice: BackendChoice = 'auto', options: UseBackendOptions = {}): Backend {
  const env = choiceFromEnv();
  const wanted: BackendChoice = choice === 'auto' ? (env.choice ?? 'auto') : choice;
  const notes: string[] = env.note !== undefined ? [env.note] : [];
  let backend: Backend = referenceBackend;
  let native: NativeInfo | null = null;
  let why: string;
  if (wanted === 'reference') {
    why = choice === 'reference' ? 'requested' : 'CSFNET_BACKEND=reference';
  } else {
    const load = loadNativeBackend(options.threads !== undefined ? { threads: options.threads } : {});
    if (load.ok) {
      backend = load.backend;
      native = load.info;
      why = `${load.info.isa}, ${load.info.threads} thread${load.info.threads === 1 ? '' : 's'}`;
    } else {
      why = wanted === 'native' ? `native requested but unavailable: ${load.reason}` : load.reason;
    }
  }
  setBackend(backend);
  const name = backend === referenceBackend ? 'reference' : 'native';
  const line = `csf-net: ${name} backend (${[why, ...notes].join('; ')})`;
  selection = { name, native, line };
  const announce = options.announce === undefined ? (l: string) => process.stderr.write(`${l}\n`) : options.announce;
  const worthSaying = name === 'reference' || options.verbose === true || notes.length > 0;
  if (announce !== null && !announced && worthSaying) {
    announced = true;
    announce(line);
  }
  return backend;
}

/** The last selection made by useBackend, or null before the first call. */
export function backendSelection(): BackendSelection | null {
  return selection;
}
