// Maps a JSON path as the validator reports it (`monitors[0].tasks[2].port`,
// `monitors[1]["odd key"]`, `(file)`) to a character range in the file's text, so a
// problem can be underlined where it is. Uses jsonc-parser (VS Code's own JSON parser),
// which also tolerates the broken text a user is in the middle of typing. (The ESM build:
// the UMD one has dynamic requires that esbuild cannot bundle.)
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js';

export interface TextRange {
  start: number;
  end: number;
}

/** `monitors[0].tasks[2]["a.b"]` → ['monitors', 0, 'tasks', 2, 'a.b']. */
export function parseJsonPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) return out; // stop at anything unexpected: the longest known prefix is still useful
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
    at = re.lastIndex;
  }
  return out;
}

/** The range to underline for `path`; falls back to the nearest existing ancestor. */
export function locateJsonPath(text: string, path: string): TextRange {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return firstLine(text, 0);
  const segments = path === '(file)' || path === '' ? [] : parseJsonPath(path);
  for (let n = segments.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, segments.slice(0, n));
    if (node) return rangeOf(text, node);
  }
  return firstLine(text, 0);
}

function rangeOf(text: string, node: Node): TextRange {
  const parent = node.parent;
  // A property's value: underline the key, which is short and names the field.
  if (parent?.type === 'property' && parent.children?.[1] === node) {
    const key = parent.children[0];
    if (node.type === 'object' || node.type === 'array') return { start: key.offset, end: key.offset + key.length };
    return { start: key.offset, end: node.offset + node.length };
  }
  if (node.type === 'object' || node.type === 'array') return firstLine(text, node.offset, node.offset + node.length);
  return { start: node.offset, end: node.offset + node.length };
}

function firstLine(text: string, start: number, limit = text.length): TextRange {
  const nl = text.indexOf('\n', start);
  const end = Math.min(nl < 0 ? text.length : nl, limit);
  return { start, end: Math.max(end, Math.min(start + 1, text.length)) };
}

/** JSON syntax errors with their ranges (for a `(file)` issue, better than the file's first line). */
export function syntaxErrors(text: string): { range: TextRange; message: string }[] {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  return errors.map((e) => ({
    range: { start: e.offset, end: e.offset + Math.max(1, e.length) },
    message: `is not valid JSON: ${printParseErrorCode(e.error)}`,
  }));
}

/** The range of the monitor with this id in a netcam.json text (for "Edit Monitor Config"). */
export function locateMonitor(text: string, monitorId: string): TextRange | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const monitors = root && findNodeAtLocation(root, ['monitors']);
  for (const item of monitors?.children ?? []) {
    const id = findNodeAtLocation(item, ['id']);
    if (id?.value === monitorId) return { start: item.offset, end: item.offset + item.length };
  }
  return undefined;
}

/** The range of one task of a monitor (for "Show task"). */
export function locateTask(text: string, monitorId: string, taskId: string): TextRange | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const monitors = root && findNodeAtLocation(root, ['monitors']);
  for (const item of monitors?.children ?? []) {
    if (findNodeAtLocation(item, ['id'])?.value !== monitorId) continue;
    for (const task of findNodeAtLocation(item, ['tasks'])?.children ?? []) {
      if (findNodeAtLocation(task, ['id'])?.value === taskId) return { start: task.offset, end: task.offset + task.length };
    }
  }
  return undefined;
}
