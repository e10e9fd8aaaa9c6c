/**
 * The server's log: one JSON object per line, through a sink the caller gives (the CLI passes
 * stdout). By construction it carries no patient data: callers pass only ids the server made,
 * route patterns, status codes, rule names and timings, never a message derived from an upload
 * (those can quote file names or DICOM values). Worker stderr lines are passed through redact().
 */
export type LogValue = string | number | boolean | null;
export type LogSink = (line: string) => void;

export class ServerLog {
  constructor(private readonly sink: LogSink) {}

  info(event: string, fields: Readonly<Record<string, LogValue>> = {}): void {
    this.write('info', event, fields);
  }

  warn(event: string, fields: Readonly<Record<string, LogValue>> = {}): void {
    this.write('warn', event, fields);
  }

  private write(level: string, event: string, fields: Readonly<Record<string, LogValue>>): void {
    this.sink(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  }
}

/**
 * Removes what could identify a patient from free text (a worker's crash output): DICOM UIDs
 * (digits and dots, PS3.5 9.1) and quoted names (archive entries are quoted in messages).
 */
export function redact(text: string): string {
  return text.replace(/\d+(\.\d+){3,}/g, '<uid>').replace(/"[^"]*"/g, '"<redacted>"');
}
