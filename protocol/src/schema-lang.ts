// A small interpreter for the subset of JSON Schema that NetCam's schemas use.
// The same schema objects are written out as the JSON Schema file that VS Code
// validates `netcam.json` with, so editor and runtime share one source of truth.
// Written by hand (not ajv) so that the agent bundle never compiles code at run
// time and every error names the JSON path and the rule in one line.

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface Schema {
  type?: JsonType | JsonType[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  maxProperties?: number;
  propertyNames?: Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: readonly (string | number | boolean | null)[];
  const?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** Branches discriminated by `properties.type.const`; see pickBranch. */
  oneOf?: Schema[];
  default?: unknown;
  // Editor-only annotations (ignored by the interpreter).
  description?: string;
  markdownDescription?: string;
  title?: string;
  enumDescriptions?: string[];
  errorMessage?: string;
  defaultSnippets?: unknown[];
  $schema?: string;
  $id?: string;
}

export interface SchemaIssue {
  path: string;
  message: string;
}

export class ValidationError extends Error {
  readonly issues: SchemaIssue[];
  constructor(issues: SchemaIssue[]) {
    super(issues.map(formatIssue).join('; '));
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

export function formatIssue(issue: SchemaIssue): string {
  return `${issue.path || '(root)'}: ${issue.message}`;
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (t === 'string' || t === 'boolean' || t === 'object') return t;
  return 'null';
}

function matchesType(value: unknown, wanted: JsonType): boolean {
  const actual = typeOf(value);
  if (wanted === 'number') return actual === 'number' || actual === 'integer';
  return actual === wanted;
}

const MAX_ISSUES = 20;

const patternCache = new Map<string, RegExp>();
function compiledPattern(source: string): RegExp {
  let re = patternCache.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    patternCache.set(source, re);
  }
  return re;
}

/** For a discriminated oneOf: the branch whose `type` const equals value.type. */
function pickBranch(schema: Schema, value: unknown): Schema | undefined {
  const branches = schema.oneOf ?? [];
  if (typeOf(value) !== 'object') return undefined;
  const tag = (value as Record<string, unknown>).type;
  return branches.find((b) => b.properties?.type?.const === tag);
}

function discriminatorValues(schema: Schema): string[] {
  return (schema.oneOf ?? []).map((b) => String(b.properties?.type?.const));
}

/**
 * Validates `value` against `schema`. Returns a copy with defaults applied
 * (objects and arrays are copied; the input is never mutated) and the issues found.
 */
export function check(schema: Schema, value: unknown, path = ''): { value: unknown; issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  const out = walk(schema, value, path, issues);
  return { value: out, issues: issues.slice(0, MAX_ISSUES) };
}

/**
 * A JSON path built only when an issue is reported: valid input (the common case, e.g. every
 * result the manager receives) costs no string building per property.
 */
type Path = string | PathNode;
interface PathNode { base: Path; key: string | number; text?: string }

function pathText(path: Path): string {
  if (typeof path === 'string') return path;
  return (path.text ??= joinPath(pathText(path.base), path.key));
}

function report(issues: SchemaIssue[], at: Path, message: string): void {
  issues.push({ path: pathText(at), message });
}

/** Code points, as JSON Schema counts string length; only counted when the UTF-16 length can't decide. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

function walk(schema: Schema, value: unknown, path: Path, issues: SchemaIssue[]): unknown {
  if (issues.length >= MAX_ISSUES) return value;

  if (schema.oneOf) {
    const branch = pickBranch(schema, value);
    if (!branch) {
      if (typeOf(value) !== 'object') report(issues, path, 'must be object');
      else report(issues, { base: path, key: 'type' }, `must have type one of ${discriminatorValues(schema).join(', ')}`);
      return value;
    }
    return walk(branch, value, path, issues);
  }

  if (schema.type !== undefined) {
    const wanted = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!wanted.some((t) => matchesType(value, t))) {
      report(issues, path, `must be ${wanted.join(' or ')}`);
      return value;
    }
  }
  if (schema.const !== undefined && value !== schema.const) {
    report(issues, path, `must be equal to ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum && !schema.enum.includes(value as never)) {
    report(issues, path, `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }

  if (typeof value === 'number') {
    if (!Number.isFinite(value)) report(issues, path, 'must be a finite number');
    if (schema.minimum !== undefined && value < schema.minimum) report(issues, path, `must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) report(issues, path, `must be <= ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
      report(issues, path, `must be > ${schema.exclusiveMinimum}`);
    }
  }

  if (typeof value === 'string') {
    // Code points lie between half the UTF-16 length and the UTF-16 length.
    let length = -1;
    const count = () => (length < 0 ? (length = codePoints(value)) : length);
    if (schema.minLength !== undefined && value.length < schema.minLength * 2 && count() < schema.minLength) {
      report(issues, path, `must NOT have fewer than ${schema.minLength} characters`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength && count() > schema.maxLength) {
      report(issues, path, `must NOT have more than ${schema.maxLength} characters`);
    }
    if (schema.pattern !== undefined && !compiledPattern(schema.pattern).test(value)) {
      report(issues, path, schema.errorMessage ?? `must match pattern "${schema.pattern}"`);
    }
  }

  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      report(issues, path, `must NOT have fewer than ${schema.minItems} items`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      report(issues, path, `must NOT have more than ${schema.maxItems} items`);
      return value;
    }
    if (schema.uniqueItems) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) report(issues, { base: path, key: i }, 'must NOT have duplicate items');
        seen.add(key);
      });
    }
    if (schema.items) {
      const items = schema.items;
      return value.map((item, i) => walk(items, item, { base: path, key: i }, issues));
    }
    return value.slice();
  }

  if (typeOf(value) === 'object') {
    const input = value as Record<string, unknown>;
    const keys = Object.keys(input);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
      report(issues, path, `must NOT have more than ${schema.maxProperties} properties`);
      return value;
    }
    const props = schema.properties ?? {};
    for (const name of schema.required ?? []) {
      if (!Object.prototype.hasOwnProperty.call(input, name)) report(issues, path, `must have required property '${name}'`);
    }
    if (!schema.properties && schema.additionalProperties === undefined) return value;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const at: PathNode = { base: path, key };
      if (schema.propertyNames) walk(schema.propertyNames, key, at, issues);
      const propSchema = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
      if (propSchema) {
        setOwn(out, key, walk(propSchema, input[key], at, issues));
      } else if (schema.additionalProperties === false) {
        report(issues, at, 'is not allowed here (unknown field)');
      } else if (typeof schema.additionalProperties === 'object') {
        setOwn(out, key, walk(schema.additionalProperties, input[key], at, issues));
      } else {
        setOwn(out, key, input[key]);
      }
    }
    for (const [key, propSchema] of Object.entries(props)) {
      if (!Object.prototype.hasOwnProperty.call(out, key) && propSchema.default !== undefined) {
        setOwn(out, key, structuredClone(propSchema.default));
      }
    }
    return out;
  }
  return value;
}

// For "__proto__" defineProperty, not assignment, so that it stays plain data; every other
// key of Object.prototype is a writable data property, so assignment makes an own property.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Strips interpreter-irrelevant TS types so the schema can be written out as JSON. */
export function toJsonSchema(schema: Schema): unknown {
  return JSON.parse(JSON.stringify(schema));
}
