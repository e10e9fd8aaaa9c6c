import { intakeScans } from './intake-scans.js';
import { predictStudy } from './predict-study.js';
import { serializeError, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/**
 * Entry of a worker process (forked by process-pool.ts): runs one task at a time, intake or
 * prediction, and answers over IPC. It exits when the server goes away (the IPC channel closes),
 * so a server killed with SIGKILL leaves no worker behind. It never prints: errors go back to the
 * server as data.
 */
async function handle(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const task = request.task;
    const value = task.kind === 'intake' ? await intakeScans(task) : predictStudy(task);
    return { id: request.id, ok: true, value };
  } catch (err) {
    return { id: request.id, ok: false, error: serializeError(err) };
  }
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message: WorkerRequest) => {
  void handle(message).then((reply) => {
    if (process.connected) process.send!(reply);
  });
});
process.send?.({ ready: true });
