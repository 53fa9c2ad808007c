// HTTP and HTTPS probes against node:http/node:https servers this suite starts, with
// certificates made by the openssl CLI: good, self-signed, expired.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Socket } from 'node:net';
import { requireTool } from '../../../test/support/tools.js';
import { makeHttpProbes } from '../../src/probes/http.js';
import { freePort, makeCerts, runTask, type Certs } from './support.js';

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/':
      res.end('<html>NetCam test page: all good</html>');
      return;
    case '/500':
      res.statusCode = 500;
      res.end('boom');
      return;
    case '/404':
      res.statusCode = 404;
      res.end('not here');
      return;
    case '/slow':
      setTimeout(() => res.end('late'), 3000).unref();
      return;
    case '/redirect':
      res.writeHead(302, { location: '/' });
      res.end();
      return;
    case '/loop':
      res.writeHead(301, { location: '/loop' });
      res.end();
      return;
    case '/ftp':
      res.writeHead(302, { location: 'ftp://127.0.0.1/x' });
      res.end();
      return;
    case '/big': {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const more = (): void => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', more);
            return;
          }
        }
        res.end();
      };
      more();
      return;
    }
    default:
      res.statusCode = 404;
      res.end();
  }
}

async function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function track(server: Server): Server {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  (server as Server & { kill?: () => void }).kill = () => {
    sockets.forEach((s) => s.destroy());
    server.close();
  };
  return server;
}
const kill = (s: Server): void => (s as Server & { kill: () => void }).kill();

describe('probes: http', () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = track(createHttp(route));
    port = await listen(server);
  });
  after(() => kill(server));
  const url = (p: string) => `http://127.0.0.1:${port}${p}`;

  it('is up on 200 with phase timings, body size and keyword', async () => {
    const r = await runTask({ type: 'http', url: url('/'), keyword: 'all good' });
    assert.equal(r.status, 'up', String(r.error));
    assert.equal(r.details.statusCode, 200);
    assert.equal(r.details.keywordFound, true);
    assert.equal(r.details.bodyBytes, 39);
    const t = r.details.timings as Record<string, number>;
    assert.equal(t.dns, 0, 'an address literal needs no lookup');
    assert.ok(t.connect > 0 && t.firstByte > 0 && t.total >= t.connect + t.firstByte);
    assert.equal(t.tls, null);
    assert.equal(r.latencyMs, t.total);
  });

  it('is down with status_mismatch on 500 and 404 unless the range includes them', async () => {
    const a = await runTask({ type: 'http', url: url('/500') });
    assert.equal(a.status, 'down');
    assert.match(String(a.error), /^status_mismatch: got 500, expected 200-399/);
    const b = await runTask({ type: 'http', url: url('/404'), expectStatus: '200,404' });
    assert.equal(b.status, 'up');
  });

  it('is down with body_mismatch when the keyword is missing, or present while inverted', async () => {
    const a = await runTask({ type: 'http', url: url('/'), keyword: 'error page' });
    assert.equal(a.status, 'down');
    assert.match(String(a.error), /^body_mismatch: /);
    assert.equal(a.details.keywordFound, false);
    const b = await runTask({ type: 'http', url: url('/'), keyword: 'all good', invertKeyword: true });
    assert.equal(b.status, 'down');
    const c = await runTask({ type: 'http', url: url('/'), keyword: 'error page', invertKeyword: true });
    assert.equal(c.status, 'up');
  });

  it('follows redirects, bounded, and refuses a non-HTTP hop', async () => {
    const a = await runTask({ type: 'http', url: url('/redirect') });
    assert.equal(a.status, 'up');
    assert.equal(a.details.redirects, 1);
    assert.equal(a.details.finalUrl, url('/'));
    const b = await runTask({ type: 'http', url: url('/loop'), maxRedirects: 3 });
    assert.equal(b.status, 'down');
    assert.match(String(b.error), /more than 3 redirects/);
    const c = await runTask({ type: 'http', url: url('/redirect'), followRedirects: false });
    assert.equal(c.status, 'up');
    assert.equal(c.details.statusCode, 302);
    const d = await runTask({ type: 'http', url: url('/ftp') });
    assert.equal(d.status, 'down');
    assert.match(String(d.error), /unsupported scheme ftp:/);
  });

  it('caps the body read at 1 MiB', async () => {
    const r = await runTask({ type: 'http', url: url('/big'), keyword: 'b' });
    assert.equal(r.details.bodyBytes, 1024 * 1024);
    assert.equal(r.details.bodyTruncated, true);
    assert.equal(r.status, 'down'); // keyword not in the first MiB
  });

  it('a slow server hits the hard timeout', async () => {
    const started = performance.now();
    const r = await runTask({ type: 'http', url: url('/slow'), timeout: 0.5 });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^timeout: /);
    assert.ok(performance.now() - started < 2500);
  });

  it('refused, unresolvable and bad URLs are down, never thrown', async () => {
    const closed = await freePort();
    const a = await runTask({ type: 'http', url: `http://127.0.0.1:${closed}/` });
    assert.match(String(a.error), /^refused: /);
    const b = await runTask({ type: 'http', url: 'http://web.invalid/' });
    assert.match(String(b.error), /^dns_error: /);
    const c = await runTask({ type: 'http', url: 'http://[zz/' });
    assert.equal(c.status, 'down');
  });
});

describe('probes: https', function () {
  let certs: Certs;
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  before(async function () {
    requireTool(this, 'openssl', 'openssl');
    this.timeout(30_000);
    certs = makeCerts();
    for (const [name, key, cert] of [
      ['good', certs.goodKey, certs.goodCert],
      ['self', certs.selfKey, certs.selfCert],
      ['expired', certs.expiredKey, certs.expiredCert],
    ] as const) {
      const s = track(createHttps({ key: readFileSync(key), cert: readFileSync(cert) }, route) as unknown as Server);
      servers.push(s);
      ports[name] = await listen(s);
    }
  });
  after(() => {
    servers.forEach(kill);
    certs?.remove();
  });
  const trusting = () => makeHttpProbes({ ca: readFileSync(certs.caPem, 'utf8') }).https;

  it('a certificate from a trusted CA: up, with TLS facts', async () => {
    const r = await runTask({ type: 'https', url: `https://127.0.0.1:${ports.good}/` }, { probe: trusting() as never });
    assert.equal(r.status, 'up', String(r.error));
    const tls = r.details.tls as Record<string, unknown>;
    assert.equal(tls.authorized, true);
    assert.equal(tls.authorizationError, null);
    assert.match(String(tls.protocol), /^TLSv1\.[23]$/);
    assert.ok(tls.cipher);
    assert.match(String(tls.subject), /CN=127\.0\.0\.1/);
    assert.match(String(tls.issuer), /CN=NetCam Test CA/);
    assert.ok(Number(tls.daysToExpiry) > 1 && Number(tls.daysToExpiry) <= 2);
    const t = r.details.timings as Record<string, number>;
    assert.ok(t.tls > 0);
  });

  it('a self-signed certificate is down with tls_error, and its facts are still reported', async () => {
    const r = await runTask({ type: 'https', url: `https://127.0.0.1:${ports.self}/` }, { probe: trusting() as never });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^tls_error: certificate not trusted: DEPTH_ZERO_SELF_SIGNED_CERT/);
    const tls = r.details.tls as Record<string, unknown>;
    assert.equal(tls.authorized, false);
    assert.match(String(tls.subject), /CN=127\.0\.0\.1/);
  });

  it('an expired certificate is down with tls_error CERT_HAS_EXPIRED and negative days', async () => {
    const r = await runTask({ type: 'https', url: `https://127.0.0.1:${ports.expired}/` }, { probe: trusting() as never });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /CERT_HAS_EXPIRED/);
    assert.ok(Number((r.details.tls as Record<string, unknown>).daysToExpiry) < 0);
  });

  it('a certificate for another name is a tls_error', async () => {
    // The good certificate names 127.0.0.1 and localhost; serve it on 127.0.0.2.
    const other = track(createHttps({ key: readFileSync(certs.goodKey), cert: readFileSync(certs.goodCert) }, route) as unknown as Server);
    const port = await new Promise<number>((resolve) => other.listen(0, '127.0.0.2', () => resolve((other.address() as { port: number }).port)));
    try {
      const r = await runTask({ type: 'https', url: `https://127.0.0.2:${port}/` }, { probe: trusting() as never });
      assert.equal(r.status, 'down');
      assert.match(String(r.error), /^tls_error: .*ALTNAME/);
    } finally {
      kill(other);
    }
  });

  it('ignoreTlsErrors reports up but still says the chain did not verify', async () => {
    const r = await runTask({ type: 'https', url: `https://127.0.0.1:${ports.self}/`, ignoreTlsErrors: true });
    assert.equal(r.status, 'up');
    assert.equal((r.details.tls as Record<string, unknown>).authorized, false);
  });

  it('HTTPS 500 is down (the old tool called it up)', async () => {
    const r = await runTask({ type: 'https', url: `https://127.0.0.1:${ports.good}/500` }, { probe: trusting() as never });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^status_mismatch: got 500/);
  });

  it('TLS to a plain-HTTP port is a tls_error', async () => {
    const plain = track(createHttp(route));
    const port = await listen(plain);
    try {
      const r = await runTask({ type: 'https', url: `https://127.0.0.1:${port}/` });
      assert.equal(r.status, 'down');
      assert.match(String(r.error), /^tls_error: /);
    } finally {
      kill(plain);
    }
  });
});
