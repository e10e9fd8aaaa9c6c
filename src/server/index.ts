/** The csf-net server: what the CLI (csfnet serve) starts. */
export { startServer, defaultWebDir } from './start-server.js';
export type { ServerOptions, RunningServer } from './start-server.js';
export type { ServerToken } from './server-token.js';
