// Logging seam: the extension passes an OutputChannel-backed logger, the CLI one that
// writes to stderr. Nothing the manager logs contains a secret (secrets are only ever
// held as key bytes inside a link attempt and never formatted).

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Removes anything that looks like a pairing secret from a message (defence in depth). */
export function redactSecrets(message: string): string {
  return message.replace(/ncs1_[A-Za-z0-9_-]*/g, 'ncs1_[redacted]');
}

/** A Logger that redacts and forwards each line to `sink` with its level. */
export function levelLogger(sink: (level: LogLevel, message: string) => void): Logger {
  const at = (level: LogLevel) => (message: string) => sink(level, redactSecrets(message));
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
