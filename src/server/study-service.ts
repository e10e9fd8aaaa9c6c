import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { ReadLimits } from '../imaging/read-limits.js';
import type { ClinicalSchema } from '../model/checkpoint.js';
import { InputError } from '../util/errors.js';
import type { Accepted, StudySource } from './api-types.js';
import { encodeForCheckpoint } from './clinical-inputs.js';
import { TIMEPOINTS, type ScanSource, type Timepoint } from './intake-scans.js';
import type { JobRunner } from './job-runner.js';
import type { JobStore } from './job-store.js';
import type { ProcessPool } from './process-pool.js';
import type { UnzipLimits } from './safe-unzip.js';
import type { StudyInput } from './study-input.js';

export interface StudyServiceOptions {
  /** data/uploads: scratch folders of uploads being read (emptied at start). */
  readonly uploadsDir: string;
  /** data/studies: one folder per study, named by its id. */
  readonly studiesDir: string;
  readonly unzip: UnzipLimits;
  readonly read: ReadLimits;
  /** The checkpoint's clinical columns and vocabulary, to refuse at upload what the network could not encode. */
  readonly clinicalSchema: ClinicalSchema | null;
}

/** An uploaded file as the HTTP layer hands it over (a web File). */
export interface UploadedFile {
  stream(): ReadableStream<Uint8Array>;
}

/**
 * Creates studies: checks the input, has an intake worker read the two scans and store their
 * de-identified copies (intake-scans.ts), then adds the study and its queued prediction job in one
 * transaction and wakes the job runner. The caller gets the job id without waiting for the
 * prediction. The raw upload is deleted whatever happens; a study folder appears under its id only
 * once its scans are read, and a crash before the database row leaves a folder that the next start
 * removes (start-server.ts).
 */
export class StudyService {
  constructor(
    private readonly store: JobStore,
    private readonly intake: ProcessPool,
    private readonly runner: JobRunner,
    private readonly options: StudyServiceOptions,
  ) {}

  /** A study from two uploaded scan files and the parsed `study` field. */
  async fromUpload(files: Record<Timepoint, UploadedFile>, input: StudyInput): Promise<Accepted> {
    this.checkClinical(input);
    return this.create(input, { kind: 'upload' }, input.label ?? '', async (workDir) => {
      const sources = {} as Record<Timepoint, ScanSource>;
      for (const tp of TIMEPOINTS) {
        const file = join(workDir, `${tp}.upload`);
        await pipeline(Readable.fromWeb(files[tp].stream() as WebReadableStream<Uint8Array>), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
        sources[tp] = { kind: 'upload', file };
      }
      return sources;
    });
  }

  /** A study from images already on the server (a cohort subject's scans). */
  async fromPaths(paths: Record<Timepoint, string>, input: StudyInput, source: StudySource, label: string): Promise<Accepted> {
    this.checkClinical(input);
    return this.create(input, source, label, () => Promise.resolve({ t0: { kind: 'path', path: paths.t0 }, t1: { kind: 'path', path: paths.t1 } }));
  }

  /** Starts queued jobs on free workers (after a job was added elsewhere). */
  wake(): void {
    this.runner.pump();
  }

  private checkClinical(input: StudyInput): void {
    if (this.options.clinicalSchema !== null) encodeForCheckpoint(input.clinical, this.options.clinicalSchema);
  }

  private async create(
    input: StudyInput,
    source: StudySource,
    label: string,
    sourcesIn: (workDir: string) => Promise<Record<Timepoint, ScanSource>>,
  ): Promise<Accepted> {
    const workDir = join(this.options.uploadsDir, randomUUID());
    const outDir = join(workDir, 'study');
    mkdirSync(outDir, { recursive: true, mode: 0o700 });
    try {
      const sources = await sourcesIn(workDir);
      const scans = await this.intake.run({
        kind: 'intake',
        workDir,
        outDir,
        sources,
        centres: { t0: [input.t0.x, input.t0.y, input.t0.z], t1: [input.t1.x, input.t1.y, input.t1.z] },
        unzip: this.options.unzip,
        read: this.options.read,
      });
      const studyId = randomUUID();
      const jobId = randomUUID();
      renameSync(outDir, join(this.options.studiesDir, studyId));
      this.store.addStudyWithJob({ id: studyId, label: label || `study ${studyId.slice(0, 8)}`, createdAt: new Date().toISOString(), source, input, scans }, jobId);
      this.runner.pump();
      return { study_id: studyId, job_id: jobId, job_url: `/api/jobs/${jobId}` };
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
}

/** The two scan files of a multipart form, or an InputError naming the missing field. */
export function uploadedFiles(form: Record<string, unknown>): Record<Timepoint, UploadedFile> {
  const out = {} as Record<Timepoint, UploadedFile>;
  for (const tp of TIMEPOINTS) {
    const f = form[tp];
    if (!(f instanceof Blob)) {
      throw new InputError(`${tp}: the form field "${tp}" must be a file (a zip of a DICOM series, a NIfTI file or a MetaImage .mha)`, {
        file: tp,
        rule: 'file-missing',
      });
    }
    out[tp] = f;
  }
  return out;
}
