// A custom undici connector that times each phase of opening a connection (name lookup,
// TCP handshake, TLS handshake) and keeps the TLS facts. The handshake never rejects a
// certificate itself, so an untrusted one is still described; the connector then refuses
// it unless the task says to ignore TLS errors.
import { Socket } from 'node:net';
import { isIP } from 'node:net';
import { connect as tlsConnect, createSecureContext, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type buildConnector from 'undici/types/connector.js';
import { bareHost, now, resolveHost, round3 } from './util.js';

export interface PhaseTimings {
  /** Monotonic time the first connection attempt started (before name lookup): where curl starts time_total. */
  startedAt: number | null;
  dns: number | null;
  connect: number | null;
  tls: number | null;
  /** Monotonic time the connection was ready for the request. */
  readyAt: number | null;
}

export interface TlsFacts {
  protocol: string | null;
  cipher: string | null;
  subject: string | null;
  issuer: string | null;
  validFrom: string | null;
  validTo: string | null;
  daysToExpiry: number | null;
  authorized: boolean;
  authorizationError: string | null;
}

export class TlsRejectedError extends Error {
  readonly code = 'ERR_TLS_CERT_REJECTED';
  constructor(readonly facts: TlsFacts) {
    super(`certificate not trusted: ${facts.authorizationError ?? 'unknown reason'}`);
  }
}

export interface ConnectorOptions {
  signal: AbortSignal;
  ignoreTlsErrors: boolean;
  /** Extra trust anchors (tests); default: Node's CA store plus NODE_EXTRA_CA_CERTS. */
  ca?: string | string[];
  timings: PhaseTimings;
  onTls: (facts: TlsFacts) => void;
  onAddress: (address: string) => void;
}

export function timedConnector(o: ConnectorOptions): buildConnector.connector {
  return (options, callback) => {
    let sock: Socket | TLSSocket | null = null;
    const fail = (err: Error): void => {
      sock?.destroy();
      callback(err, null);
    };
    o.timings.startedAt ??= now();
    (async () => {
      const host = bareHost(options.hostname);
      const https = options.protocol === 'https:';
      const port = Number(options.port) || (https ? 443 : 80);
      const resolved = await resolveHost(host, o.signal);
      o.timings.dns = resolved.ms;
      o.onAddress(resolved.address);
      const tcpStart = now();
      const tcp = new Socket();
      sock = tcp;
      await new Promise<void>((resolve, reject) => {
        tcp.once('connect', resolve);
        tcp.once('error', reject);
        tcp.connect({ host: resolved.address, port });
      });
      o.timings.connect = round3(now() - tcpStart);
      if (!https) {
        o.timings.readyAt = now();
        callback(null, tcp);
        return;
      }
      const tlsStart = now();
      const tls = tlsConnect({
        socket: tcp,
        host, // what the certificate must name
        servername: isIP(host) ? undefined : host,
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
        secureContext: secureContextFor(o.ca),
      });
      sock = tls;
      await new Promise<void>((resolve, reject) => {
        tls.once('secureConnect', resolve);
        tls.once('error', reject);
      });
      o.timings.tls = round3(now() - tlsStart);
      const facts = tlsFacts(tls);
      o.onTls(facts);
      if (!facts.authorized && !o.ignoreTlsErrors) {
        fail(new TlsRejectedError(facts));
        return;
      }
      o.timings.readyAt = now();
      callback(null, tls);
    })().catch(fail);
  };
}

// Building a SecureContext parses the whole trust store (Node's roots plus
// NODE_EXTRA_CA_CERTS, or the given CAs): done once per CA set, not per check. The context
// holds no per-connection state (session cache and tickets are per socket on the client).
const secureContexts = new Map<string, SecureContext>();
const SECURE_CONTEXT_CACHE_MAX = 16;

export function secureContextFor(ca: string | string[] | undefined): SecureContext {
  const key = ca === undefined ? '' : JSON.stringify(ca);
  let ctx = secureContexts.get(key);
  if (!ctx) {
    // Only the probe factories' option sets come here, so this stays tiny; the cap is a guard.
    if (secureContexts.size >= SECURE_CONTEXT_CACHE_MAX) secureContexts.clear();
    ctx = createSecureContext(ca === undefined ? {} : { ca });
    secureContexts.set(key, ctx);
  }
  return ctx;
}

function nameOf(entity: Record<string, string | string[]> | undefined): string | null {
  if (!entity || !Object.keys(entity).length) return null;
  return Object.entries(entity)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function isoOf(openssl: string | undefined): string | null {
  if (!openssl) return null;
  const t = Date.parse(openssl);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

export function tlsFacts(tls: TLSSocket): TlsFacts {
  const cert = tls.getPeerCertificate() as PeerCertificate | Record<string, never>;
  const validTo = isoOf((cert as PeerCertificate).valid_to);
  const cipher = tls.getCipher();
  return {
    protocol: tls.getProtocol() ?? null,
    cipher: cipher?.standardName ?? cipher?.name ?? null,
    subject: nameOf((cert as PeerCertificate).subject as unknown as Record<string, string>),
    issuer: nameOf((cert as PeerCertificate).issuer as unknown as Record<string, string>),
    validFrom: isoOf((cert as PeerCertificate).valid_from),
    validTo,
    // Calendar days left on the wall clock (a date, not a duration measurement).
    daysToExpiry: validTo ? Math.round(((Date.parse(validTo) - Date.now()) / 86_400_000) * 100) / 100 : null,
    authorized: tls.authorized,
    authorizationError: tls.authorizationError ? String(tls.authorizationError) : null,
  };
}
