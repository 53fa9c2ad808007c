import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { checkConfig, checkConfigText, checkTask, configSchema, formatIssue, tasksHash, toJsonSchema, type Task } from '../src/index.js';
import { schemaFileText, SCHEMA_FILE } from '../../scripts/gen-schema.js';

const monitor = (tasks: unknown[], extra: Record<string, unknown> = {}) => ({ monitors: [{ id: 'm1', host: '127.0.0.1', port: 7070, tasks, ...extra }] });
const task = (t: Record<string, unknown>) => monitor([t]);

/** Broken configs and the one-line error each must produce. */
const broken: [string, unknown, string][] = [
  ['interval below 1', monitor([{ type: 'tcp', host: 'h', port: 1 }, { type: 'tcp', host: 'h', port: 2 }, { type: 'icmp', host: 'h', interval: 0.5 }]), 'monitors[0].tasks[2].interval: must be >= 1'],
  ['unknown task field', task({ type: 'icmp', host: 'h', sequence_number: 1 }), 'monitors[0].tasks[0].sequence_number: is not allowed here (unknown field)'],
  ['unknown task type', task({ type: 'smtp', host: 'h' }), 'monitors[0].tasks[0].type: must have type one of icmp, traceroute, http, https, ntp, dns, tcp, udp, echo'],
  ['missing port', task({ type: 'tcp', host: 'h' }), "monitors[0].tasks[0]: must have required property 'port'"],
  ['port out of range', task({ type: 'udp', host: 'h', port: 70000 }), 'monitors[0].tasks[0].port: must be <= 65535'],
  ['fractional count', task({ type: 'icmp', host: 'h', count: 2.5 }), 'monitors[0].tasks[0].count: must be integer'],
  ['count too high', task({ type: 'icmp', host: 'h', count: 11 }), 'monitors[0].tasks[0].count: must be <= 10'],
  ['packet too large', task({ type: 'icmp', host: 'h', packetSize: 9000 }), 'monitors[0].tasks[0].packetSize: must be <= 1472'],
  ['unknown DNS type', task({ type: 'dns', server: 's', query: 'q', recordTypes: ['A', 'AXFR'] }), 'monitors[0].tasks[0].recordTypes[1]: must be one of "A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT", "CAA"'],
  ['duplicate DNS types', task({ type: 'dns', server: 's', query: 'q', recordTypes: ['A', 'A'] }), 'monitors[0].tasks[0].recordTypes[1]: must NOT have duplicate items'],
  ['scheme mismatch', task({ type: 'https', url: 'http://h/' }), 'monitors[0].tasks[0].url: must be a https:// URL'],
  ['bad status range', task({ type: 'http', url: 'http://h/', expectStatus: '2xx' }), 'monitors[0].tasks[0].expectStatus: must be a status or range list such as "200-399" or "200,301"'],
  ['too many redirects', task({ type: 'http', url: 'http://h/', maxRedirects: 6 }), 'monitors[0].tasks[0].maxRedirects: must be <= 5'],
  ['ignoreTlsErrors on http', task({ type: 'http', url: 'http://h/', ignoreTlsErrors: true }), 'monitors[0].tasks[0].ignoreTlsErrors: is not allowed here (unknown field)'],
  ['host with spaces', task({ type: 'icmp', host: 'a b' }), 'monitors[0].tasks[0].host: must be a host name, IPv4 or IPv6 address'],
  ['monitor without id', { monitors: [{ host: 'h', port: 1 }] }, "monitors[0]: must have required property 'id'"],
  ['monitor unknown field', { monitors: [{ id: 'm', host: 'h', port: 1, secret: 'x' }] }, 'monitors[0].secret: is not allowed here (unknown field)'],
  ['monitors not an array', { monitors: {} }, 'monitors: must be array'],
  ['no monitors key', {}, "(root): must have required property 'monitors'"],
  ['wrong version', { version: 2, monitors: [] }, 'version: must be equal to 1'],
  ['string interval', task({ type: 'ntp', server: 's', interval: '60' }), 'monitors[0].tasks[0].interval: must be number'],
  ['bad id characters', task({ type: 'ntp', server: 's', id: 'a/b' }), 'monitors[0].tasks[0].id: must be 1-64 letters, digits or . _ : @ - (starting with a letter or digit)'],
  ['header name', task({ type: 'http', url: 'http://h/', headers: { 'bad header': 'x' } }), 'monitors[0].tasks[0].headers["bad header"]: must be a header name'],
  // Rules beyond JSON Schema (ajv accepts these; the runtime must not).
  ['timeout not below interval', task({ type: 'https', url: 'https://h/', interval: 5 }), 'monitors[0].tasks[0].timeout: must be < interval (5)'],
  ['duplicate task ids', monitor([{ id: 'a', type: 'icmp', host: 'h' }, { id: 'a', type: 'icmp', host: 'h' }]), 'monitors[0].tasks[1].id: duplicates the id of monitors[0].tasks[0] ("a")'],
  ['duplicate monitor ids', { monitors: [{ id: 'm', host: 'h', port: 1 }, { id: 'm', host: 'h', port: 2 }] }, 'monitors[1].id: duplicates the id of monitors[0] ("m")'],
];
const beyondJsonSchema = new Set(['timeout not below interval', 'duplicate task ids', 'duplicate monitor ids']);

function docExamples(): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const name of readdirSync('docs/examples')) {
    if (name.endsWith('.json') && !name.startsWith('legacy')) out.push([`docs/examples/${name}`, JSON.parse(readFileSync(join('docs/examples', name), 'utf8'))]);
  }
  // Fenced ```json blocks in the docs that hold a whole netcam.json ({"monitors": ...}).
  for (const doc of ['README.md', ...readdirSync('docs').filter((n) => n.endsWith('.md')).map((n) => `docs/${n}`)]) {
    const text = readFileSync(doc, 'utf8');
    for (const m of text.matchAll(/```json\n([\s\S]*?)```/g)) {
      if (/^\s*\{\s*"(\$schema|version|monitors)"/.test(m[1])) out.push([doc, JSON.parse(m[1])]);
    }
  }
  return out;
}

describe('netcam.json schema', () => {
  const ajv = new Ajv({ strict: false, allErrors: false });
  const ajvValidate = ajv.compile(toJsonSchema(configSchema) as object);

  it('accepts every example config in the docs', () => {
    const examples = docExamples();
    assert.ok(examples.length >= 2, 'the docs hold example configs');
    for (const [where, example] of examples) {
      const r = checkConfig(example);
      assert.ok(r.ok, `${where}: ${r.ok ? '' : r.issues.map(formatIssue).join('; ')}`);
      assert.ok(ajvValidate(example), `${where} rejected by the JSON Schema file: ${ajv.errorsText(ajvValidate.errors)}`);
    }
  });

  for (const [name, config, message] of broken) {
    it(`rejects ${name} with "${message}"`, () => {
      const r = checkConfig(config);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(formatIssue(r.issues[0]), message);
      // The shipped JSON Schema (used by the editor) agrees.
      assert.equal(ajvValidate(config), beyondJsonSchema.has(name), `JSON Schema file disagrees on: ${name}`);
    });
  }

  it('agrees with the JSON Schema file on random task objects', () => {
    const value = fc.oneof(fc.string({ maxLength: 5 }), fc.integer({ min: -5, max: 70000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant('127.0.0.1'), fc.constant(['A']));
    const arbTask = fc.record({
      type: fc.constantFrom('icmp', 'tcp', 'udp', 'dns', 'http', 'echo', 'ntp', 'nope'),
      host: value, port: value, server: value, query: value, url: fc.constantFrom('http://h/', 'https://h/', 'x'),
      interval: value, count: value, recordTypes: fc.constantFrom(['A'], ['MX', 'A'], ['X'], []),
    }, { requiredKeys: ['type'] });
    fc.assert(
      fc.property(arbTask, (t) => {
        const config = { monitors: [{ id: 'm', host: 'h', port: 1, tasks: [{ ...t, interval: 600 }] }] };
        const ours = checkConfig(config).ok;
        assert.equal(ours, ajvValidate(config), JSON.stringify(config));
      }),
      { numRuns: 2000 },
    );
  });

  it('fills in the defaults of reference/probes.md and generates task ids', () => {
    const r = checkConfig(monitor([{ type: 'icmp', host: 'h' }, { type: 'icmp', host: 'h2' }, { type: 'dns', server: 's', query: 'q' }]));
    assert.ok(r.ok);
    if (!r.ok) return;
    const [a, b, dns] = r.value.monitors[0].tasks;
    assert.deepEqual(a, { type: 'icmp', host: 'h', id: 'icmp-1', interval: 60, timeout: 1, downAfter: 1, count: 3, ttl: 64, packetSize: 56, ipVersion: 'auto' });
    assert.equal(b.id, 'icmp-2');
    assert.deepEqual(dns, { type: 'dns', server: 's', query: 'q', id: 'dns-1', interval: 60, timeout: 2, downAfter: 1, port: 53, recordTypes: ['A'], transport: 'udp' });
    assert.equal(r.value.version, 1);
  });

  it('reports a JSON syntax error as one line', () => {
    const r = checkConfigText('{"monitors": [}');
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(formatIssue(r.issues[0]), /^\(file\): is not valid JSON: /);
  });

  it('validates one task for `netcam-agent check`', () => {
    const r = checkTask({ type: 'tcp', host: '127.0.0.1', port: 22, interval: 2 });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(formatIssue(r.issues[0]), 'task.timeout: must be < interval (2)');
  });

  it('ships the JSON Schema file generated from the runtime schema', () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), schemaFileText(), 'run `npm run build` to regenerate media/schemas/netcam.schema.json');
  });

  it('is registered for netcam.json in package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: 'netcam.json', url: `./${SCHEMA_FILE}` }]);
  });

  it('hashes task sets independently of key order', () => {
    const r1 = checkTask({ type: 'tcp', host: 'h', port: 1, id: 'x' });
    const r2 = checkTask({ id: 'x', port: 1, host: 'h', type: 'tcp' });
    const r3 = checkTask({ id: 'x', port: 2, host: 'h', type: 'tcp' });
    assert.ok(r1.ok && r2.ok && r3.ok);
    const h = (t: Task) => tasksHash([t]);
    assert.equal(h(r1.value), h(r2.value));
    assert.notEqual(h(r1.value), h(r3.value));
  });
});
