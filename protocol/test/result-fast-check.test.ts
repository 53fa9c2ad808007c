// The hand-written `results` validator (result-fast-check.ts) must agree with the generic schema
// interpreter on every input: same verdict, same copy, and (through parseAgentMessage) the same
// error text, whose first issue path is therefore the same too.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { agentMessageSchemas, parseAgentMessage, ProtocolError, resultSchema } from '../src/messages.js';
import { fastCheckResult } from '../src/result-fast-check.js';
import { check, ValidationError } from '../src/schema-lang.js';
import { ID_PATTERN, TASK_TYPES } from '../src/config-schema.js';
import { RESULT_STATUSES } from '../src/result.js';

const FIELDS = ['monitorId', 'taskId', 'type', 'target', 'seq', 'ts', 'status', 'latencyMs', 'error', 'details'] as const;

/** Strings near a maxLength counted in code points: astral characters are 2 UTF-16 units each. */
const nearLimit = (max: number) =>
  fc.tuple(fc.integer({ min: max - 2, max: max + 2 }), fc.constantFrom('a', '😀', 'é')).map(([n, ch]) => ch.repeat(Math.max(0, n)));
const isoTs = fc.oneof(
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,12})?(Z|[+-]\d{2}:\d{2})$/),
);
const validResult = fc.record({
  monitorId: fc.stringMatching(new RegExp(ID_PATTERN)),
  taskId: fc.stringMatching(new RegExp(ID_PATTERN)),
  type: fc.constantFrom(...TASK_TYPES),
  target: fc.oneof(fc.string({ maxLength: 40, unit: 'grapheme' }), nearLimit(2048)),
  seq: fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(1, Number.MAX_SAFE_INTEGER)),
  ts: isoTs,
  status: fc.constantFrom(...RESULT_STATUSES),
  latencyMs: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(-0)),
  error: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), nearLimit(2048)),
  details: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
});

/** Values a mutated field may take: JSON values, boundary numbers, near-valid strings. */
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(0, -1, 1.5, -0.5, Number.MAX_SAFE_INTEGER + 1, 1e300, -0, '', 'UP', 'Tcp', '-x', 'a b', '2026-11-25T09:30:00Z\n', null, [], {}),
  nearLimit(40),
  nearLimit(2048),
  isoTs,
);
/** Per field: values on both sides of each of its limits. */
const boundary: Record<(typeof FIELDS)[number], fc.Arbitrary<unknown>> = {
  monitorId: fc.constantFrom('a', 'a'.repeat(64), 'a'.repeat(65), '.a', 'a b', 'a\n', 'é', 'a:b@c-d.e_f'),
  taskId: fc.constantFrom('1', 'x'.repeat(64), 'x'.repeat(65), '-x', ''),
  type: fc.constantFrom(...TASK_TYPES, 'TCP', 'ping', 'constructor'),
  target: fc.oneof(nearLimit(2048), fc.constantFrom('', 'h:1')),
  seq: fc.constantFrom(0, 1, 2, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, Number.MAX_SAFE_INTEGER + 3, 2 ** 60, '1', NaN, Infinity),
  ts: fc.oneof(isoTs, fc.constantFrom('2026-11-25T09:30:00.1234567890Z', '2026-11-25T09:30:00+0100', '2026-11-25 09:30:00Z', '2026-11-25T09:30:00Z\n')),
  status: fc.constantFrom(...RESULT_STATUSES, 'Up', 'unknown'),
  latencyMs: fc.constantFrom(0, -0, -1e-9, 1e-9, 1e308, -1, NaN, Infinity, '1', false),
  error: fc.oneof(nearLimit(2048), fc.constantFrom('', 0, false)),
  details: fc.constantFrom({}, [], null, 'x', 1, { a: { b: [1] } }),
};
type Mutation = (r: Record<string, unknown>) => Record<string, unknown>;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), oddValue).map(([k, v]): Mutation => (r) => ({ ...r, [k]: v })),
  ...FIELDS.map((k) => boundary[k].map((v): Mutation => (r) => ({ ...r, [k]: v }))),
  fc.constantFrom(...FIELDS).map((k): Mutation => (r) => {
    const { [k]: _dropped, ...rest } = r;
    return rest;
  }),
  fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'toString', 'Seq'), fc.jsonValue({ maxDepth: 1 })).map(
    ([k, v]): Mutation => (r) => JSON.parse(JSON.stringify(r).replace(/^\{/, () => `{${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'},`).replace(/,\}$/, '}')) as Record<string, unknown>,
  ),
  // Reordered keys (still valid): the copy must keep the input's order like the interpreter's.
  fc.constant<Mutation>((r) => Object.fromEntries(Object.entries(r).reverse())),
);
const maybeMutated = fc.tuple(validResult, fc.array(mutation, { maxLength: 3 })).map(([r, ms]) => ms.reduce<Record<string, unknown>>((acc, m) => m(acc), r));
// Whole non-result values too (a result slot holding a number, an array, null...).
const anyItem = fc.oneof({ weight: 8, arbitrary: maybeMutated }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });

function genericMessage(data: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const r = check(agentMessageSchemas.results, data, 'results');
  return r.issues.length ? { ok: false, message: new ValidationError(r.issues).message } : { ok: true, value: r.value };
}

function fastMessage(data: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: parseAgentMessage(data) };
  } catch (e) {
    assert.ok(e instanceof ProtocolError && e.code === 'bad_message', String(e));
    return { ok: false, message: e.message };
  }
}

describe('results fast path vs the schema interpreter', () => {
  it('accepts exactly the results the interpreter accepts and returns the same copy', () => {
    const verdicts = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(anyItem, (item) => {
        const generic = check(resultSchema, item);
        const fast = fastCheckResult(item);
        verdicts[fast ? 'accepted' : 'rejected'] += 1;
        assert.equal(fast !== undefined, generic.issues.length === 0, `fast ${fast ? 'accepted' : 'rejected'}, interpreter: ${JSON.stringify(generic.issues)}`);
        if (fast) {
          assert.deepStrictEqual(fast, generic.value);
          assert.deepEqual(Object.keys(fast), Object.keys(generic.value as object), 'same key order');
          assert.notEqual(fast, item, 'a copy, not the input');
        }
      }),
      { numRuns: 5000 },
    );
    assert.ok(verdicts.accepted > 500 && verdicts.rejected > 500, JSON.stringify(verdicts));
  });

  it('parseAgentMessage gives the same value or the same error (same first issue path) as the interpreter', () => {
    const envelope = fc.oneof(
      { weight: 6, arbitrary: fc.array(anyItem, { minLength: 1, maxLength: 5 }).map((items) => ({ type: 'results', items })) },
      { weight: 1, arbitrary: fc.array(validResult, { maxLength: 2 }).map((items) => ({ items, type: 'results' })) },
      { weight: 1, arbitrary: fc.tuple(validResult, fc.jsonValue({ maxDepth: 1 })).map(([r, x]) => ({ type: 'results', items: [r], x })) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }).map((items) => ({ type: 'results', items })) },
    );
    let accepted = 0;
    fc.assert(
      fc.property(envelope, (data) => {
        const expected = genericMessage(data);
        const actual = fastMessage(data);
        assert.deepStrictEqual(actual, expected);
        if (actual.ok) accepted += 1;
      }),
      { numRuns: 2000 },
    );
    assert.ok(accepted > 100, `only ${accepted} valid messages generated: the property would prove little`);
  });

  it('checks every item of a full message, including the last', () => {
    const item = { monitorId: 'a', taskId: 'b', type: 'tcp', target: 'h:1', seq: 1, ts: '2026-11-25T09:30:00.000Z', status: 'up', latencyMs: 1, error: null, details: {} };
    const items = Array.from({ length: 1000 }, (_, i) => ({ ...item, seq: i + 1 }));
    assert.equal((parseAgentMessage({ type: 'results', items }) as { items: unknown[] }).items.length, 1000);
    items[999] = { ...item, seq: 0 };
    assert.throws(() => parseAgentMessage({ type: 'results', items }), /^ProtocolError: results\.items\[999\]\.seq: must be >= 1$/);
    assert.throws(() => parseAgentMessage({ type: 'results', items: [...items.slice(0, 999), item, item] }), /results\.items: must NOT have more than 1000 items/);
  });
});
