// The CLI's logger: `[YYYY-MM-DD HH:MM:SS][Monitor: id] message` lines on stderr.
import { levelLogger, type Logger, type LogLevel } from '../log.js';
import { paint, stamp, type Style } from './format.js';

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export function stderrLogger(style: Style, minimum: LogLevel = 'info'): Logger {
  return levelLogger((level, message) => {
    if (RANK[level] < RANK[minimum]) return;
    // Manager lines start with "[<monitor id>] "; show them the old tool's way.
    const m = /^\[([^\]]+)\] (.*)$/s.exec(message);
    const head = m ? `[${stamp()}][Monitor: ${m[1]}]` : `[${stamp()}]`;
    const body = m ? m[2] : message;
    const text = level === 'error' ? paint(style, 'red', body) : level === 'warn' ? paint(style, 'yellow', body) : body;
    process.stderr.write(`${head} ${text}\n`);
  });
}
