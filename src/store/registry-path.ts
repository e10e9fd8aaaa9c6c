import { homedir } from 'node:os';
import { join } from 'node:path';

/** $CSFNET_REGISTRY, else $CSFNET_HOME/registry.db, else ~/.csfnet/registry.db. */
export function defaultRegistryPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CSFNET_REGISTRY) return env.CSFNET_REGISTRY;
  return join(env.CSFNET_HOME ?? join(homedir(), '.csfnet'), 'registry.db');
}
