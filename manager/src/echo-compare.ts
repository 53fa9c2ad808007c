// The echo check the old tool only printed: every task the agent echoes back must equal,
// field for field, the task the manager sent. The first difference is named by its path:
// `tasks[1].port: sent 22, echoed 23`.

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The first difference between two JSON values, or undefined when they are deeply equal. */
export function firstDifference(sent: unknown, echoed: unknown, path: string): string | undefined {
  if (Array.isArray(sent) && Array.isArray(echoed)) {
    if (sent.length !== echoed.length) return `${path}: sent ${show(sent)}, echoed ${show(echoed)}`;
    for (let i = 0; i < sent.length; i++) {
      const diff = firstDifference(sent[i], echoed[i], `${path}[${i}]`);
      if (diff) return diff;
    }
    return undefined;
  }
  if (isObject(sent) && isObject(echoed)) {
    const keys = [...new Set([...Object.keys(sent), ...Object.keys(echoed)])];
    for (const key of keys) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      const diff = firstDifference(sent[key], echoed[key], at);
      if (diff) return diff;
    }
    return undefined;
  }
  return Object.is(sent, echoed) ? undefined : `${path}: sent ${show(sent)}, echoed ${show(echoed)}`;
}
