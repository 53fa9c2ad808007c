// The probes against real daemons from Debian packages on loopback ports, compared with
// the standard clients on the same targets: nginx vs curl -w, dnsmasq vs dig, chronyd
// (never touching the clock, -x) for an offset of about 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from '../../../test/support/tools.js';
import { makeHttpProbes } from '../../src/probes/http.js';
import type { DnsTypeResult } from '../../src/probes/dns.js';
import { Daemon, freePort, makeCerts, runTask, tcpOpen, tempDir, waitFor, type Certs } from './support.js';

/** Medians, so one scheduling hiccup on a busy 2-core machine does not decide a comparison. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

describe('probes vs nginx and curl', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof tempDir>;
  let certs: Certs;
  let nginx: Daemon;
  let httpPort: number;
  let httpsPort: number;
  before(async function () {
    requireTool(this, 'nginx', 'nginx-light');
    requireTool(this, 'curl', 'curl');
    requireTool(this, 'openssl', 'openssl');
    dir = tempDir('nginx');
    certs = makeCerts();
    httpPort = await freePort();
    httpsPort = await freePort();
    chmodSync(dir.path, 0o755); // nginx's worker runs unprivileged
    writeFileSync(join(dir.path, 'index.html'), '<html><body>NetCam nginx test page</body></html>\n');
    const conf = `daemon off;
pid ${dir.path}/nginx.pid;
error_log ${dir.path}/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir.path}/body; proxy_temp_path ${dir.path}/proxy;
  fastcgi_temp_path ${dir.path}/fcgi; uwsgi_temp_path ${dir.path}/uwsgi; scgi_temp_path ${dir.path}/scgi;
  server {
    listen 127.0.0.1:${httpPort};
    listen 127.0.0.1:${httpsPort} ssl;
    ssl_certificate ${certs.goodCert};
    ssl_certificate_key ${certs.goodKey};
    root ${dir.path};
    location = /teapot { return 418; }
    location = /moved { return 301 /index.html; }
  }
}
`;
    writeFileSync(join(dir.path, 'nginx.conf'), conf);
    nginx = new Daemon('nginx', ['-c', join(dir.path, 'nginx.conf'), '-e', join(dir.path, 'error.log')]);
    await waitFor('nginx to listen', async () => (await tcpOpen(httpPort)) && (await tcpOpen(httpsPort)), 15_000).catch((e) => {
      throw new Error(`${e.message}: ${nginx.output}`);
    });
  });
  after(async () => {
    await nginx?.stop();
    certs?.remove();
    dir?.remove();
  });

  function curl(url: string): Record<string, number> {
    const fmt = '%{http_code} %{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}';
    const r = spawnSync('curl', ['-s', '-o', '/dev/null', '--cacert', certs.caPem, '-w', fmt, url], { encoding: 'utf8' });
    const [code, dns, connect, app, start, total] = r.stdout.trim().split(' ').map(Number);
    // curl's times are cumulative seconds; turn them into the same phase durations (ms).
    return {
      code,
      dns: dns * 1000,
      connect: (connect - dns) * 1000,
      tls: app ? (app - connect) * 1000 : 0,
      firstByte: (start - (app || connect)) * 1000,
      total: total * 1000,
    };
  }

  it('HTTP: same status and a timing breakdown in the same range as curl -w', async () => {
    const url = `http://127.0.0.1:${httpPort}/index.html`;
    const agent: Record<string, number>[] = [];
    const ref: Record<string, number>[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await runTask({ type: 'http', url, keyword: 'NetCam nginx test page' });
      assert.equal(r.status, 'up', String(r.error));
      assert.equal(r.details.statusCode, 200);
      agent.push(r.details.timings as Record<string, number>);
      ref.push(curl(url));
    }
    assert.equal(ref[0].code, 200);
    const a = { connect: median(agent.map((t) => t.connect)), firstByte: median(agent.map((t) => t.firstByte)), total: median(agent.map((t) => t.total)) };
    const c = { connect: median(ref.map((t) => t.connect)), firstByte: median(ref.map((t) => t.firstByte)), total: median(ref.map((t) => t.total)) };
    console.log(`      http agent ${JSON.stringify(a)} vs curl ${JSON.stringify(c)} (ms, medians of 5)`);
    // Loopback: every phase well under tens of ms for both; same order of magnitude.
    for (const k of ['connect', 'firstByte', 'total'] as const) {
      assert.ok(a[k] > 0 && a[k] < 50, `agent ${k} ${a[k]}`);
      assert.ok(a[k] < c[k] * 20 + 5, `agent ${k} ${a[k]} vs curl ${c[k]}`);
    }
  });

  it('HTTPS: same status, TLS facts from the certificate, timings in the same range as curl', async () => {
    const url = `https://127.0.0.1:${httpsPort}/index.html`;
    const probe = makeHttpProbes({ ca: readFileSync(certs.caPem, 'utf8') }).https;
    const agent: Record<string, number>[] = [];
    const ref: Record<string, number>[] = [];
    let last: Awaited<ReturnType<typeof runTask>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await runTask({ type: 'https', url }, { probe: probe as never });
      assert.equal(last.status, 'up', String(last.error));
      agent.push(last.details.timings as Record<string, number>);
      ref.push(curl(url));
    }
    assert.equal(ref[0].code, 200);
    const tls = last!.details.tls as Record<string, unknown>;
    assert.equal(tls.authorized, true);
    const openssl = spawnSync('openssl', ['x509', '-in', certs.goodCert, '-noout', '-enddate'], { encoding: 'utf8' }).stdout;
    assert.equal(tls.validTo, new Date(openssl.trim().replace('notAfter=', '')).toISOString());
    const a = { tls: median(agent.map((t) => t.tls)), total: median(agent.map((t) => t.total)) };
    const c = { tls: median(ref.map((t) => t.tls)), total: median(ref.map((t) => t.total)) };
    console.log(`      https agent ${JSON.stringify(a)} vs curl ${JSON.stringify(c)} (ms, medians of 5); ${tls.protocol} ${tls.cipher}`);
    assert.ok(a.tls > 0 && a.tls < c.tls * 20 + 10, `agent tls ${a.tls} vs curl ${c.tls}`);
    assert.ok(a.total < c.total * 20 + 10);
  });

  it('nginx 418 is status_mismatch, a redirect is followed, a self-signed chain (no CA) is tls_error', async () => {
    const t = await runTask({ type: 'http', url: `http://127.0.0.1:${httpPort}/teapot` });
    assert.equal(t.status, 'down');
    assert.match(String(t.error), /^status_mismatch: got 418/);
    const m = await runTask({ type: 'http', url: `http://127.0.0.1:${httpPort}/moved` });
    assert.equal(m.status, 'up');
    assert.equal(m.details.redirects, 1);
    // Without the test CA the chain does not verify, as curl without --cacert says too.
    const u = await runTask({ type: 'https', url: `https://127.0.0.1:${httpsPort}/` });
    assert.equal(u.status, 'down');
    assert.match(String(u.error), /^tls_error: /);
    assert.notEqual(spawnSync('curl', ['-s', '-o', '/dev/null', `https://127.0.0.1:${httpsPort}/`]).status, 0);
  });
});

describe('probes vs dnsmasq and dig', function () {
  this.timeout(30_000);
  let dnsmasq: Daemon;
  let port: number;
  before(async function () {
    requireTool(this, 'dnsmasq', 'dnsmasq-base');
    requireTool(this, 'dig', 'bind9-dnsutils');
    port = await freePort();
    dnsmasq = new Daemon('dnsmasq', [
      '-k', '--conf-file=/dev/null', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces',
      '--no-resolv', '--no-hosts', '--local=/test/', '--host-record=web.test,127.0.0.5', '--host-record=v6.test,::5',
      '--mx-host=web.test,mail.web.test,10', '--txt-record=web.test,hello netcam', '--cname=www.test,web.test',
      '--user=root', '--pid-file=',
    ]);
    await waitFor('dnsmasq to answer', () => spawnSync('dig', ['+short', '+time=1', '+tries=1', '-p', String(port), '@127.0.0.1', 'web.test']).stdout?.toString().includes('127.0.0.5'), 15_000).catch((e) => {
      throw new Error(`${e.message}: ${dnsmasq.output}`);
    });
  });
  after(async () => dnsmasq?.stop());

  function dig(name: string, type: string): { rcode: string; answers: string[]; ms: number } {
    const out = spawnSync('dig', ['-p', String(port), '@127.0.0.1', '+noedns', name, type], { encoding: 'utf8' }).stdout;
    const rcode = /status: (\w+)/.exec(out)?.[1] ?? '?';
    const ms = Number(/Query time: (\d+) msec/.exec(out)?.[1]);
    const section = out.split(';; ANSWER SECTION:')[1]?.split('\n\n')[0] ?? '';
    const answers = section.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(4).join(' ').replace(/\.$/, '').replace(/\. /g, ' ').replace(/^"(.*)"$/, '$1'));
    return { rcode, answers, ms };
  }

  it('answers and rcodes agree with dig for A, AAAA, MX, TXT, CNAME and NXDOMAIN', async () => {
    const cases: [string, string][] = [['web.test', 'A'], ['v6.test', 'AAAA'], ['web.test', 'MX'], ['web.test', 'TXT'], ['www.test', 'CNAME']];
    for (const [name, type] of cases) {
      const r = await runTask({ type: 'dns', server: '127.0.0.1', port, query: name, recordTypes: [type] });
      const res = (r.details.results as DnsTypeResult[])[0];
      const ref = dig(name, type);
      assert.equal(r.status, 'up', `${name} ${type}: ${r.error}`);
      assert.equal(res.rcode, ref.rcode);
      assert.deepEqual(res.answers.filter((a) => a.type === type).map((a) => a.data), ref.answers, `${name} ${type}`);
      console.log(`      ${name} ${type}: agent ${JSON.stringify(res.answers.map((a) => a.data))} ${res.queryMs} ms; dig ${JSON.stringify(ref.answers)} ${ref.ms} ms`);
    }
    const nx = await runTask({ type: 'dns', server: '127.0.0.1', port, query: 'missing.test' });
    assert.equal(nx.status, 'down');
    assert.equal((nx.details.results as DnsTypeResult[])[0].rcode, dig('missing.test', 'A').rcode);
    assert.equal((nx.details.results as DnsTypeResult[])[0].rcode, 'NXDOMAIN');
  });

  it('the answer TTL matches dig and the query time is a loopback time', async () => {
    const r = await runTask({ type: 'dns', server: '127.0.0.1', port, query: 'web.test', expect: '127.0.0.5' });
    assert.equal(r.status, 'up');
    const res = (r.details.results as DnsTypeResult[])[0];
    const digTtl = Number(spawnSync('dig', ['-p', String(port), '@127.0.0.1', '+noall', '+answer', 'web.test', 'A'], { encoding: 'utf8' }).stdout.split(/\s+/)[1]);
    assert.equal(res.answers[0].ttl, digTtl);
    assert.ok((r.latencyMs as number) > 0 && (r.latencyMs as number) < 100);
  });
});

describe('probes vs chronyd (NTP server on a loopback port, -x: clock untouched)', function () {
  this.timeout(30_000);
  let dir: ReturnType<typeof tempDir>;
  let chronyd: Daemon;
  let port: number;
  before(async function () {
    requireTool(this, 'chronyd', 'chrony');
    dir = tempDir('chrony');
    port = await freePort();
    writeFileSync(join(dir.path, 'chrony.conf'), [
      `port ${port}`, 'bindaddress 127.0.0.1', 'allow 127.0.0.1', 'local stratum 8', 'cmdport 0',
      `pidfile ${dir.path}/chronyd.pid`, `driftfile ${dir.path}/drift`, '',
    ].join('\n'));
    chronyd = new Daemon('chronyd', ['-f', join(dir.path, 'chrony.conf'), '-d', '-x']);
    // chronyd answers once it has started serving; poll with the probe itself.
    await waitFor('chronyd to answer', async () => (await runTask({ type: 'ntp', server: '127.0.0.1', port, timeout: 0.5 })).status === 'up', 20_000).catch((e) => {
      throw new Error(`${e.message}: ${chronyd.output}`);
    });
  });
  after(async () => {
    await chronyd?.stop();
    dir?.remove();
  });

  it('offset ≈ 0 on the same clock, stratum 8 as configured, a loopback delay', async () => {
    const r = await runTask({ type: 'ntp', server: '127.0.0.1', port, samples: 4 });
    assert.equal(r.status, 'up', String(r.error));
    assert.equal(r.details.stratum, 8);
    assert.equal(r.details.referenceId, '127.127.1.1');
    assert.ok(Math.abs(Number(r.details.offsetMs)) < 2, `offset ${r.details.offsetMs} ms`);
    assert.ok(Number(r.details.delayMs) >= 0 && Number(r.details.delayMs) < 20, `delay ${r.details.delayMs} ms`);
    console.log(`      chronyd: offset ${r.details.offsetMs} ms, delay ${r.details.delayMs} ms, stratum ${r.details.stratum}, ref ${r.details.referenceId}, precision ${r.details.precision}`);
  });
});
