import type { Backend } from '../tensor/kernels.js';
import { setBackend } from '../tensor/kernels.js';
import { referenceBackend } from './reference/index.js';

export type BackendChoice = 'reference' | 'native' | 'auto';

/**
 * Loads the kernels and makes `choice` the active backend. The reference backend is always
 * registered (it is the fallback for any kernel another backend lacks). The native backend is
 * added by its own module; until it is available, every choice runs on the reference kernels.
 */
export function useBackend(choice: BackendChoice = 'auto'): Backend {
  void choice;
  setBackend(referenceBackend);
  return referenceBackend;
}
