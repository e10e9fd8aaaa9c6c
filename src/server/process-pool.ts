import { fork, type ChildProcess } from 'node:child_process';
import { CsfnetError } from '../util/errors.js';
import { reviveError, type TaskResults, type WorkerReply, type WorkerTask } from './worker-protocol.js';

/** A worker process ended or ran out of time while it held a task. */
export class WorkerLostError extends CsfnetError {
  override readonly httpStatus = 500;
  readonly rule: string;
  constructor(message: string, rule: 'worker-exit' | 'timeout') {
    super(message);
    this.rule = rule;
  }
}

export interface PoolOptions {
  /** Names the pool in messages ("intake", "jobs"). */
  readonly name: string;
  /** Worker processes, each running one task at a time. */
  readonly size: number;
  /** Compiled worker entry (worker-main.js). */
  readonly script: string;
  /** Extra arguments for the workers' command lines (they identify them in `ps`). */
  readonly args: readonly string[];
  /** A task running longer is stopped with SIGKILL and rejected. */
  readonly taskTimeoutMs: number;
  /** Lines a worker writes to stderr (a crash's stack), for the server log. */
  readonly onStderr?: (line: string) => void;
}

interface Pending {
  readonly task: WorkerTask;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  child: ChildProcess | null;
  ready: boolean;
  current: (Pending & { id: number; timer: NodeJS.Timeout; timedOut: boolean }) | null;
}

/**
 * A fixed number of worker processes (child_process.fork of worker-main.js) with a FIFO queue: work
 * runs off the server's event loop, one task per process at a time, so the API answers while
 * predictions run and one bad scan or a crash never takes the server down. Workers start on first
 * use and again after one ends; a task whose worker dies or overruns is rejected with a
 * WorkerLostError.
 */
export class ProcessPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Called whenever a worker becomes free. */
  onFree: (() => void) | null = null;

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => ({ child: null, ready: false, current: null }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Process ids of the workers running a task now. */
  get busyPids(): number[] {
    return this.slots.filter((s) => s.current !== null && s.child?.pid !== undefined).map((s) => s.child!.pid!);
  }

  /** Workers without a task, minus tasks already waiting for one. */
  get free(): number {
    return this.slots.filter((s) => s.current === null).length - this.queue.length;
  }

  run<K extends WorkerTask['kind']>(task: Extract<WorkerTask, { kind: K }>): Promise<TaskResults[K]> {
    if (this.closed) return Promise.reject(new WorkerLostError(`${this.options.name} pool is closed`, 'worker-exit'));
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    }) as Promise<TaskResults[K]>;
  }

  /** Stops every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new WorkerLostError(`${this.options.name} pool closed`, 'worker-exit'));
    const exits = this.slots.map((s) => {
      const child = s.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    });
    await Promise.all(exits);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.current === null && slot.ready) this.assign(slot, this.queue.shift()!);
    }
    // Start only as many workers as there are tasks no starting worker will take.
    let starting = this.slots.filter((s) => s.child !== null && !s.ready).length;
    for (const slot of this.slots) {
      if (this.queue.length <= starting) break;
      if (slot.child === null) {
        this.spawn(slot);
        starting += 1;
      }
    }
  }

  private assign(slot: Slot, next: Pending): void {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      if (slot.current?.id !== id) return;
      slot.current.timedOut = true;
      slot.child?.kill('SIGKILL');
    }, this.options.taskTimeoutMs);
    slot.current = { ...next, id, timer, timedOut: false };
    slot.child!.send({ id, task: next.task });
  }

  private spawn(slot: Slot): void {
    const child = fork(this.options.script, [...this.options.args], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      execArgv: [],
    });
    slot.child = child;
    slot.ready = false;
    let buffered = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.options.onStderr?.(line);
    });
    child.on('message', (message: WorkerReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        this.dispatch();
        return;
      }
      const current = slot.current;
      if (current === null || current.id !== message.id) return;
      clearTimeout(current.timer);
      slot.current = null;
      if (message.ok) current.resolve(message.value);
      else current.reject(reviveError(message.error));
      this.freed();
    });
    child.on('error', (err) => {
      this.options.onStderr?.(`${this.options.name} worker: ${err.message}`);
      if (child.pid === undefined) child.emit('exit', null, null);
    });
    child.on('exit', (code, signal) => {
      if (slot.child !== child) return;
      slot.child = null;
      slot.ready = false;
      const current = slot.current;
      if (current !== null) {
        clearTimeout(current.timer);
        slot.current = null;
        const seconds = Math.round(this.options.taskTimeoutMs / 1000);
        current.reject(
          current.timedOut
            ? new WorkerLostError(`the task ran longer than ${seconds} s and was stopped`, 'timeout')
            : new WorkerLostError(`the worker process ended (${signal ?? `exit code ${code}`}) while running the task`, 'worker-exit'),
        );
      }
      if (!this.closed) this.freed();
    });
  }

  private freed(): void {
    this.dispatch();
    this.onFree?.();
  }
}
