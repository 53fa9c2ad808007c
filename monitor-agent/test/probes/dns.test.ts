// DNS probe against an in-process server: answers per type, NXDOMAIN, SERVFAIL,
// truncation forcing TCP, expect, silence, closed port.
import assert from 'node:assert/strict';
import type { DnsTypeResult } from '../../src/probes/dns.js';
import { reverseName } from '../../src/probes/dns.js';
import { startDnsServer, type TestDnsServer } from './dns-server.js';
import { freePort, runTask } from './support.js';

const longTxt = Array.from({ length: 12 }, (_, i) => ({ name: 'big.test', type: 'TXT' as const, ttl: 60, data: `record ${i} ${'x'.repeat(60)}` }));

describe('probes: dns (in-process server)', () => {
  let server: TestDnsServer;
  before(async () => {
    server = await startDnsServer({
      'web.test': {
        answers: [
          { name: 'web.test', type: 'A', ttl: 300, data: '127.0.0.5' },
          { name: 'web.test', type: 'AAAA', ttl: 300, data: '::1' },
          { name: 'web.test', type: 'MX', ttl: 120, data: { preference: 10, exchange: 'mail.web.test' } },
          { name: 'web.test', type: 'TXT', ttl: 60, data: ['v=spf1 -all'] },
          { name: 'web.test', type: 'CAA', ttl: 60, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
          { name: 'web.test', type: 'SOA', ttl: 60, data: { mname: 'ns.test', rname: 'admin.test', serial: 7, refresh: 3600, retry: 600, expire: 86400, minimum: 60 } },
        ],
      },
      '_sip._tcp.web.test': { answers: [{ name: '_sip._tcp.web.test', type: 'SRV', ttl: 60, data: { priority: 1, weight: 5, port: 5060, target: 'sip.web.test' } }] },
      '5.0.0.127.in-addr.arpa': { answers: [{ name: '5.0.0.127.in-addr.arpa', type: 'PTR', ttl: 60, data: 'web.test' }] },
      'big.test': { answers: longTxt },
      'fail.test': { rcode: 'SERVFAIL' },
      'silent.test': { silent: true },
    });
  });
  after(() => server.close());
  const q = (extra: Record<string, unknown>) => runTask({ type: 'dns', server: '127.0.0.1', port: server.port, ...extra });

  it('answers each record type with rcode, TTL, flags and query time', async () => {
    const r = await q({ query: 'web.test', recordTypes: ['A', 'AAAA', 'MX', 'TXT', 'CAA', 'SOA'] });
    assert.equal(r.status, 'up', String(r.error));
    const results = r.details.results as DnsTypeResult[];
    assert.deepEqual(results.map((x) => x.type), ['A', 'AAAA', 'MX', 'TXT', 'CAA', 'SOA']);
    assert.deepEqual(results.map((x) => x.answers[0]?.data), ['127.0.0.5', '::1', '10 mail.web.test', 'v=spf1 -all', '0 issue "letsencrypt.org"', 'ns.test admin.test 7 3600 600 86400 60']);
    assert.equal(results[0].rcode, 'NOERROR');
    assert.equal(results[0].answers[0].ttl, 300);
    assert.deepEqual(results[0].flags, { aa: true, tc: false, rd: true, ra: false, ad: false });
    assert.ok(results.every((x) => typeof x.queryMs === 'number' && x.queryMs > 0));
    assert.equal(r.latencyMs, results[0].queryMs);
  });

  it('SRV, and PTR for an address (asked as its reverse name)', async () => {
    const s = await q({ query: '_sip._tcp.web.test', recordTypes: ['SRV'] });
    assert.equal((s.details.results as DnsTypeResult[])[0].answers[0].data, '1 5 5060 sip.web.test');
    const p = await q({ query: '127.0.0.5', recordTypes: ['PTR'] });
    assert.equal(p.status, 'up', String(p.error));
    assert.equal((p.details.results as DnsTypeResult[])[0].answers[0].data, 'web.test');
    assert.equal(reverseName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });

  it('NXDOMAIN is down unless expected', async () => {
    const a = await q({ query: 'nothing.test' });
    assert.equal(a.status, 'down');
    assert.match(String(a.error), /^dns_error: A nothing\.test: NXDOMAIN/);
    assert.equal((a.details.results as DnsTypeResult[])[0].rcode, 'NXDOMAIN');
    const b = await q({ query: 'nothing.test', expect: 'NXDOMAIN' });
    assert.equal(b.status, 'up');
  });

  it('SERVFAIL is down', async () => {
    const r = await q({ query: 'fail.test' });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /SERVFAIL/);
  });

  it('a truncated UDP answer is asked again over TCP and reported whole', async () => {
    const tcpBefore = server.tcpQueries;
    const r = await q({ query: 'big.test', recordTypes: ['TXT'] });
    assert.equal(r.status, 'up', String(r.error));
    const res = (r.details.results as DnsTypeResult[])[0];
    assert.equal(res.retriedOverTcp, true);
    assert.equal(res.transport, 'tcp');
    assert.equal(res.answers.length, 12);
    assert.equal(server.tcpQueries, tcpBefore + 1);
  });

  it('transport tcp asks over TCP only', async () => {
    const udpBefore = server.udpQueries;
    const r = await q({ query: 'web.test', transport: 'tcp' });
    assert.equal(r.status, 'up');
    assert.equal(server.udpQueries, udpBefore);
  });

  it('expect: up when an answer contains it, down with body_mismatch when none does', async () => {
    assert.equal((await q({ query: 'web.test', expect: '127.0.0.5' })).status, 'up');
    const r = await q({ query: 'web.test', expect: '127.0.0.9' });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^body_mismatch: /);
  });

  it('silence is a timeout; a closed port is refused; a bad server name is a dns_error', async () => {
    const a = await q({ query: 'silent.test', timeout: 0.5 });
    assert.equal(a.status, 'down');
    assert.match(String(a.error), /^timeout: /);
    const b = await runTask({ type: 'dns', server: '127.0.0.1', port: await freePort(), query: 'web.test' });
    assert.match(String(b.error), /^refused: /);
    const c = await runTask({ type: 'dns', server: 'ns.invalid', query: 'web.test' });
    assert.match(String(c.error), /^dns_error: /);
  });
});
