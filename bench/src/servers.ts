// The loopback servers the checks run against, each started in a temp dir on a free port
// and stopped at the end: nginx (HTTP + HTTPS), dnsmasq (DNS), chronyd (NTP, `-x`: never
// touches the clock), the agent's own echo server (TCP + UDP), blackbox_exporter.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, spawnOwned, stopChild, waitFor } from './procs.js';

export interface Servers {
  dir: string;
  httpPort: number;
  httpsPort: number;
  /** PEM of the self-signed certificate nginx serves (the agent trusts it via NODE_EXTRA_CA_CERTS). */
  caFile: string;
  dnsPort: number;
  /** A name dnsmasq answers, and its A record. */
  dnsName: string;
  dnsAnswer: string;
  ntpPort: number;
  echoPort: number;
  stop(): Promise<void>;
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** One SNTP client request; true if the server answered. */
function ntpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const packet = Buffer.alloc(48);
    packet[0] = 0x23; // LI 0, VN 4, mode 3 (client)
    const timer = setTimeout(() => finish(false), 500);
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    sock.once('message', (m) => finish(m.length >= 48));
    sock.once('error', () => finish(false));
    sock.send(packet, port, '127.0.0.1');
  });
}

function exitedEarly(child: ChildProcess, name: string, log: string): () => void {
  return () => {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${log}`);
  };
}

export async function startServers(dir: string, agentBundle: string): Promise<Servers> {
  const children: ChildProcess[] = [];
  try {
    // A self-signed certificate for 127.0.0.1 (a new TLS handshake per HTTPS check).
    const caFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    const ossl = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', caFile], { encoding: 'utf8' });
    if (ossl.status !== 0) throw new Error(`openssl could not make a test certificate: ${ossl.stderr}`);

    const [httpPort, httpsPort, dnsPort, ntpPort, echoPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);

    // nginx: everything (pid, logs, temp paths) inside the temp dir.
    const nginxConf = join(dir, 'nginx.conf');
    writeFileSync(nginxConf, `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
  keepalive_timeout 5;
  server {
    listen 127.0.0.1:${httpPort} backlog=4096;
    location / { default_type text/plain; return 200 "netcam bench ok\\n"; }
  }
  server {
    listen 127.0.0.1:${httpsPort} ssl backlog=4096;
    ssl_certificate ${caFile};
    ssl_certificate_key ${keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_tickets off;
    ssl_session_cache off;
    location / { default_type text/plain; return 200 "netcam bench ok\\n"; }
  }
}
`);
    const nginxLog = join(dir, 'nginx.out');
    const nginx = spawnOwned('nginx', ['-p', dir, '-c', nginxConf, '-e', join(dir, 'nginx-error.log')], nginxLog);
    children.push(nginx);

    const dnsLog = join(dir, 'dnsmasq.out');
    const dnsmasq = spawnOwned('dnsmasq', ['-k', '--conf-file=/dev/null', `--port=${dnsPort}`, '--listen-address=127.0.0.1', '--bind-interfaces',
      '--no-resolv', '--no-hosts', '--local=/test/', '--host-record=web.test,127.0.0.10', '--pid-file', '--user=root', '--cache-size=1000'], dnsLog);
    children.push(dnsmasq);

    const chronyConf = join(dir, 'chrony.conf');
    writeFileSync(chronyConf, `port ${ntpPort}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\ncmdport 0\npidfile ${dir}/chronyd.pid\n`);
    const ntpLog = join(dir, 'chronyd.out');
    const chronyd = spawnOwned('chronyd', ['-f', chronyConf, '-d', '-x', '-u', 'root'], ntpLog);
    children.push(chronyd);

    const echoLog = join(dir, 'echo.out');
    const echo = spawnOwned(process.execPath, [agentBundle, 'echo-server', '--host', '127.0.0.1', '--port', String(echoPort)], echoLog);
    children.push(echo);

    const nginxAlive = exitedEarly(nginx, 'nginx', nginxLog);
    await waitFor('nginx', 10_000, async () => (nginxAlive(), (await tcpOpen(httpPort)) && (await tcpOpen(httpsPort))));
    const dnsAlive = exitedEarly(dnsmasq, 'dnsmasq', dnsLog);
    await waitFor('dnsmasq', 10_000, async () => (dnsAlive(), tcpOpen(dnsPort)));
    const ntpAlive = exitedEarly(chronyd, 'chronyd', ntpLog);
    await waitFor('chronyd', 10_000, async () => (ntpAlive(), ntpAnswers(ntpPort)));
    const echoAlive = exitedEarly(echo, 'echo server', echoLog);
    await waitFor('echo server', 10_000, async () => (echoAlive(), tcpOpen(echoPort)));

    return {
      dir,
      httpPort,
      httpsPort,
      caFile,
      dnsPort,
      dnsName: 'web.test',
      dnsAnswer: '127.0.0.10',
      ntpPort,
      echoPort,
      stop: async () => {
        await Promise.all(children.map((c) => stopChild(c)));
      },
    };
  } catch (err) {
    await Promise.all(children.map((c) => stopChild(c)));
    throw err;
  }
}

export interface Blackbox {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** blackbox_exporter with modules for the same HTTP, TCP, DNS and ICMP checks the agent runs. */
export async function startBlackbox(dir: string, servers: Servers): Promise<Blackbox> {
  const port = await freePort();
  const config = join(dir, 'blackbox.yml');
  writeFileSync(config, `modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
  tcp_connect:
    prober: tcp
    timeout: 3s
    tcp:
      preferred_ip_protocol: ip4
  dns_a:
    prober: dns
    timeout: 2s
    dns:
      preferred_ip_protocol: ip4
      transport_protocol: udp
      query_name: ${servers.dnsName}
      query_type: A
  icmp:
    prober: icmp
    timeout: 1s
    icmp:
      preferred_ip_protocol: ip4
`);
  const log = join(dir, 'blackbox.out');
  const child = spawnOwned('prometheus-blackbox-exporter', [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], log);
  const alive = exitedEarly(child, 'blackbox_exporter', log);
  await waitFor('blackbox_exporter', 10_000, async () => (alive(), tcpOpen(port)));
  return { port, pid: child.pid!, stop: () => stopChild(child) };
}
