// Converting the Python tool's configs.json (the shape of docs/examples/legacy-configs.json, with documentation-only addresses).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkConfig } from '../../protocol/src/index.js';
import { convertLegacyConfig } from '../src/index.js';

describe('import-legacy', () => {
  const sample = JSON.parse(readFileSync('manager/test/fixtures/legacy-configs.json', 'utf8'));

  it('converts the sample file: nine services, both DNS server spellings, frequency -> interval', () => {
    const { config, notes, monitors, tasks } = convertLegacyConfig(sample);
    assert.equal(monitors, 2);
    assert.equal(tasks, 10);
    const checked = checkConfig(config);
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.issues));
    const [m1, m2] = config.monitors;
    assert.deepEqual([m1.id, m1.host, m1.port], ['127.0.0.1:65432', '127.0.0.1', 65432]);
    assert.deepEqual(m1.tasks.map((t) => t.type), ['icmp', 'traceroute', 'http', 'https', 'ntp', 'dns', 'tcp', 'udp', 'echo']);
    const byType = Object.fromEntries(m1.tasks.map((t) => [t.type, t as unknown as Record<string, unknown>]));
    assert.deepEqual(byType.icmp, { id: 'ping', type: 'icmp', host: '192.0.2.4', ttl: 64, timeout: 1, interval: 50 });
    assert.deepEqual(byType.traceroute, { id: 'tracert', type: 'traceroute', host: '192.0.2.4', maxHops: 30, probesPerHop: 1, interval: 120 });
    assert.deepEqual(byType.dns.recordTypes, ['A', 'MX', 'AAAA']);
    assert.equal(byType.tcp.host, 'www.search.test');
    assert.equal(byType.udp.timeout, 3);
    assert.deepEqual(m2.tasks[0], { id: 'dns', type: 'dns', server: '192.0.2.1', query: 'docs.test', recordTypes: ['A'], interval: 30 });
    assert.ok(notes.some((n) => n.includes('Ping') && n.includes('"sequence_number" dropped')), notes.join('\n'));
    assert.ok(notes.some((n) => n.includes('Tracert') && n.includes('"verbose" dropped')));
  });

  it('reports what it cannot map instead of dropping it silently', () => {
    const { config, notes } = convertLegacyConfig({
      '10.1.1.1:7000': {
        IP: '10.1.1.1',
        Port: 7000,
        Services: {
          Ping: { host: 'h', frequency: 1, timeout: 1 },
          Gopher: { host: 'h' },
          DNS: { server: 's', query: 'q', record_types: { A: true, BOGUS: true }, colour: 'red' },
          TCP: { server: 'h', port: 99999 },
        },
      },
    });
    const tasks = config.monitors[0].tasks;
    assert.deepEqual(tasks.map((t) => t.id), ['ping', 'dns']);
    assert.ok(notes.some((n) => /unknown service "Gopher"/.test(n)));
    assert.ok(notes.some((n) => /record type "BOGUS" is not supported/.test(n)));
    assert.ok(notes.some((n) => /"colour" has no equivalent/.test(n)));
    assert.ok(notes.some((n) => /TCP: cannot be imported: task\.port: must be <= 65535/.test(n)), notes.join('\n'));
    assert.ok(notes.some((n) => /timeout 1 s is not below the interval 1 s/.test(n)));
  });
});
