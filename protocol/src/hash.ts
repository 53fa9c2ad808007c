// A stable hash of a task set: equal sets (after defaults) hash equal whatever
// the key order, so the manager and agent can agree that nothing changed.
import { createHash } from 'node:crypto';
import type { Task } from './config.js';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function tasksHash(tasks: readonly Task[]): string {
  return createHash('sha256').update(canonicalJson(tasks)).digest('hex');
}
