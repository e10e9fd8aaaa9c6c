import { parentPort } from 'node:worker_threads';
import { runScanJob, type ScanJob, type ScanOutcome } from './scan-job.js';

/** A job sent to a scan worker thread, and the reply it sends back. */
export interface ScanRequest {
  readonly id: number;
  readonly job: ScanJob;
}
export interface ScanReply {
  readonly id: number;
  readonly outcome: ScanOutcome;
}

/** Worker-thread entry (scan-pool): runs each job it is sent and replies with its outcome. */
parentPort?.on('message', (request: ScanRequest) => {
  void runScanJob(request.job).then((outcome) => parentPort?.postMessage({ id: request.id, outcome } satisfies ScanReply));
});
