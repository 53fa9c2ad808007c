// HTTP and HTTPS with undici: per-phase timings from our own connector, status ranges,
// keyword match, bounded redirects (every hop re-validated), body read capped at 1 MiB,
// TLS facts, and one hard timeout over the whole request. 4xx/5xx are down unless the
// expected range includes them (the Python tool called HTTPS 500 "up").
import type { Readable } from 'node:stream';
import { Client } from 'undici';
import type { HttpTask, HttpsTask } from '../../../protocol/src/index.js';
import type { Probe, ProbeContext, ProbeOutcome } from './types.js';
import { timedConnector, TlsRejectedError, type PhaseTimings, type TlsFacts } from './http-connect.js';
import { statusMatcher } from './http-status.js';
import { Budget, down, errorText, lookupErrorText, neverThrows, now, round3 } from './util.js';

export const BODY_CAP = 1024 * 1024;

// undici's destroy() without an error builds a ClientDestroyedError (stack trace included)
// for every client; a check ends many clients, so they all get this one prebuilt reason.
// Nothing is waiting on the client by then, so the reason reaches no caller.
const CHECK_FINISHED = Object.assign(new Error('check finished'), { code: 'UND_ERR_INFO' });

export interface HttpProbeOptions {
  /** Trust anchors replacing Node's store (tests); NODE_EXTRA_CA_CERTS also works. */
  ca?: string | string[];
}

interface Timings {
  dns: number | null;
  connect: number | null;
  tls: number | null;
  firstByte: number | null;
  total: number | null;
}

export function makeHttpProbes(options: HttpProbeOptions = {}): { http: Probe<HttpTask>; https: Probe<HttpsTask> } {
  return {
    http: (task, ctx) => neverThrows(() => runHttp(task, ctx, false, options)),
    https: (task, ctx) => neverThrows(() => runHttp(task, ctx, task.ignoreTlsErrors, options)),
  };
}

const defaults = makeHttpProbes();
export const httpProbe: Probe<HttpTask> = defaults.http;
export const httpsProbe: Probe<HttpsTask> = defaults.https;

function validHop(raw: string, base?: URL): URL | string {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return `invalid URL ${JSON.stringify(raw.slice(0, 200))}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unsupported scheme ${url.protocol} in ${url.href.slice(0, 200)}`;
  if (!url.hostname) return `no host in ${url.href.slice(0, 200)}`;
  return url;
}

async function runHttp(task: HttpTask | HttpsTask, ctx: ProbeContext, ignoreTlsErrors: boolean, options: HttpProbeOptions): Promise<ProbeOutcome> {
  const budget = new Budget(ctx);
  const start = now();
  // curl's time_total starts when the transfer starts (name lookup); ours too: from the
  // first connection attempt, so building the client is not counted as latency.
  let measuredFrom: number | null = null;
  const elapsed = (): number => round3(now() - (measuredFrom ?? start));
  const timings: Timings = { dns: null, connect: null, tls: null, firstByte: null, total: null };
  let tls: TlsFacts | null = null;
  let resolvedIp: string | null = null;
  let redirects = 0;
  const details = (): Record<string, unknown> => ({
    ...base,
    redirects,
    resolvedIp,
    timings: { ...timings, total: timings.total ?? elapsed() },
    ...(task.type === 'https' ? { tls } : {}),
  });
  const base: Record<string, unknown> = { statusCode: null, httpVersion: null, finalUrl: null, bodyBytes: null, bodyTruncated: false, keywordFound: null };
  const first = validHop(task.url);
  if (typeof first === 'string') return down(`error: ${first}`, details());
  let url: URL = first;
  let client: Client | null = null;
  try {
    for (;;) {
      base.finalUrl = url.href;
      const phase: PhaseTimings = { startedAt: null, dns: null, connect: null, tls: null, readyAt: null };
      tls = url.protocol === 'https:' ? tls : null;
      // One connection per hop: a bare Client (no Agent/Pool around it).
      client = new Client(url.origin, {
        connect: timedConnector({
          signal: budget.signal,
          ignoreTlsErrors,
          ca: options.ca,
          timings: phase,
          onTls: (facts) => (tls = facts),
          onAddress: (a) => (resolvedIp = a),
        }),
        // Keep-alive like curl: with `connection: close` undici tears the socket down itself
        // with a fresh InformationalError (stack trace) per check; we close it right after.
        pipelining: 1,
        keepAliveTimeout: 1,
        headersTimeout: budget.ms,
        bodyTimeout: budget.ms,
      });
      const headers: Record<string, string> = { 'user-agent': 'NetCam-Agent', ...(task.headers ?? {}) };
      let res;
      try {
        res = await client.request({ origin: url.origin, path: url.pathname + url.search, method: task.method, headers, signal: budget.signal });
      } catch (err) {
        measuredFrom ??= phase.startedAt;
        Object.assign(timings, { dns: phase.dns, connect: phase.connect, tls: phase.tls });
        return down(requestErrorText(err, url, budget), details());
      }
      const headersAt = now();
      measuredFrom ??= phase.startedAt;
      Object.assign(timings, { dns: phase.dns, connect: phase.connect, tls: phase.tls });
      timings.firstByte = phase.readyAt !== null ? round3(headersAt - phase.readyAt) : null;
      base.statusCode = res.statusCode;
      base.httpVersion = '1.1'; // undici's HTTP/1.1 client (ALPN offers only http/1.1)
      const location = res.headers.location;
      if (task.followRedirects && res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
        void client.destroy(CHECK_FINISHED).catch(() => {});
        client = null;
        if (redirects >= task.maxRedirects) {
          timings.total = elapsed();
          return down(`status_mismatch: more than ${task.maxRedirects} redirects (next: ${location.slice(0, 200)})`, details(), timings.total);
        }
        const next = validHop(location, url);
        if (typeof next === 'string') return down(`error: redirect to ${next}`, details());
        redirects += 1;
        url = next;
        continue;
      }
      // Read the body up to the cap; past it we stop reading and close.
      let body: BodyRead;
      try {
        body = await readCapped(res.body, task.keyword !== undefined);
      } catch (err) {
        if (budget.signal.aborted) return down(budget.abortText('full body'), details());
        return down(errorText(err, 'error'), details());
      }
      const size = body.size;
      base.bodyTruncated = body.truncated;
      const chunks = body.chunks;
      timings.total = elapsed();
      base.bodyBytes = size;
      const total = timings.total;
      if (!statusMatcher(task.expectStatus)(res.statusCode)) {
        return down(`status_mismatch: got ${res.statusCode}, expected ${task.expectStatus}`, details(), total);
      }
      if (task.keyword !== undefined) {
        const found = Buffer.concat(chunks).toString('utf8').includes(task.keyword);
        base.keywordFound = found;
        if (found === task.invertKeyword) {
          return down(`body_mismatch: keyword ${JSON.stringify(task.keyword)} ${found ? 'present' : 'not found'}${task.invertKeyword ? ' (must be absent)' : ''}`, details(), total);
        }
      }
      return { status: 'up', latencyMs: total, error: null, details: details() };
    }
  } finally {
    // The response is complete (or abandoned): drop the connection without waiting for it.
    void client?.destroy(CHECK_FINISHED).catch(() => {});
    budget.dispose();
  }
}

interface BodyRead {
  size: number;
  truncated: boolean;
  /** Only kept when a keyword is searched for. */
  chunks: Buffer[];
}

/** Reads a response body up to BODY_CAP with plain stream events (no async iterator per chunk). */
function readCapped(body: Readable, keep: boolean): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const read: BodyRead = { size: 0, truncated: false, chunks: [] };
    const finish = (err: Error | null): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      if (err) reject(err);
      else resolve(read);
    };
    const onData = (chunk: Buffer): void => {
      const room = BODY_CAP - read.size;
      if (keep) read.chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
      read.size += Math.min(room, chunk.length);
      if (read.size >= BODY_CAP) {
        read.truncated = true;
        body.on('error', () => {}); // the destroy below may still report an error: ignore it
        body.destroy();
        finish(null);
      }
    };
    const onEnd = (): void => finish(null);
    const onError = (err: Error): void => finish(err);
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  });
}

function requestErrorText(err: unknown, url: URL, budget: Budget): string {
  if (err instanceof TlsRejectedError) return `tls_error: ${err.message}`;
  if (budget.signal.aborted) return budget.timedOut() ? `timeout: no complete response within ${budget.ms} ms` : budget.abortText();
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'EAI_FAIL' || e.code === 'EAI_NODATA') return lookupErrorText(url.hostname, e);
  return errorText(err, 'error');
}
