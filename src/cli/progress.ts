/**
 * Progress on stderr for long work: on a terminal one line rewritten in place; otherwise (CI, a
 * pipe, a log file) a line at most every `intervalMs` plus every line marked final, so logs stay
 * short. Stdout is left to results (tables, JSON).
 */
export class Progress {
  private last = 0;
  private width = 0;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
    private readonly intervalMs = 10_000,
  ) {
    this.tty = stream.isTTY === true;
  }

  /** A transient status (overwritten by the next one). */
  update(text: string): void {
    if (this.quiet) return;
    const now = Date.now();
    if (this.tty) {
      const line = text.length > 160 ? `${text.slice(0, 157)}...` : text;
      this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.width - line.length))}`);
      this.width = line.length;
    } else if (now - this.last >= this.intervalMs) {
      this.stream.write(`${text}\n`);
      this.last = now;
    }
  }

  /** A line that stays (ends any transient one). */
  line(text: string): void {
    if (this.quiet) return;
    if (this.tty && this.width > 0) this.stream.write(`\r${' '.repeat(this.width)}\r`);
    this.width = 0;
    this.stream.write(`${text}\n`);
    this.last = Date.now();
  }
}

/** "1h02m", "3m05s", "12s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A text bar of `width` cells for a fraction in [0, 1]. */
export function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
