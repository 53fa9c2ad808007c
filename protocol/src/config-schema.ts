// The schema of `netcam.json` and of every task type. This file is the single
// source of truth: scripts/gen-schema.ts writes it out as media/schemas/netcam.schema.json
// (used by VS Code's `contributes.jsonValidation`), and config.ts validates with it at run time.
import type { Schema } from './schema-lang.js';

export const TASK_TYPES = ['icmp', 'traceroute', 'http', 'https', 'ntp', 'dns', 'tcp', 'udp', 'echo'] as const;
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'CAA'] as const;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const;

export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$';
const HOST_PATTERN = '^[A-Za-z0-9._:%\\[\\]-]{1,253}$';

const id: Schema = {
  type: 'string',
  pattern: ID_PATTERN,
  errorMessage: 'must be 1-64 letters, digits or . _ : @ - (starting with a letter or digit)',
};
const host = (what: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: HOST_PATTERN,
  errorMessage: 'must be a host name, IPv4 or IPv6 address',
  markdownDescription: what,
});
const port = (dflt?: number): Schema => ({
  type: 'integer',
  minimum: 1,
  maximum: 65535,
  ...(dflt !== undefined ? { default: dflt } : {}),
  markdownDescription: 'TCP/UDP port (1-65535).',
});
const timeout = (dflt: number): Schema => ({
  type: 'number',
  exclusiveMinimum: 0,
  maximum: 300,
  default: dflt,
  markdownDescription: `Seconds before the check gives up (default ${dflt}). Must be less than \`interval\`.`,
});
const text = (max: number, description: string): Schema => ({ type: 'string', maxLength: max, markdownDescription: description });

/** Fields every task has, whatever its type. */
function common(type: string, timeoutDefault: number): Record<string, Schema> {
  return {
    id: { ...id, markdownDescription: 'Stable id of the task within its monitor. Generated as `<type>-<n>` if absent.' },
    name: text(128, 'Optional label shown in the tree and the console.'),
    type: { const: type, markdownDescription: `Task type: \`${type}\`.` },
    interval: {
      type: 'number',
      minimum: 1,
      maximum: 86400,
      default: 60,
      markdownDescription: 'Seconds between runs (default 60, minimum 1).',
    },
    timeout: timeout(timeoutDefault),
    degradedAboveMs: {
      type: 'number',
      minimum: 0,
      maximum: 600000,
      markdownDescription: 'Latency above which an `up` result is reported as `degraded`.',
    },
    downAfter: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 1,
      markdownDescription: 'Consecutive failures before the task is reported `down` (flap guard).',
    },
  };
}

function task(type: string, timeoutDefault: number, description: string, own: Record<string, Schema>, required: string[]): Schema {
  return {
    type: 'object',
    markdownDescription: description,
    properties: { ...common(type, timeoutDefault), ...own },
    required: ['type', ...required],
    additionalProperties: false,
  };
}

const expectText = text(1024, 'Substring the reply must contain.');

export const taskSchemas: Record<(typeof TASK_TYPES)[number], Schema> = {
  icmp: task('icmp', 1, 'ICMP echo (ping) with loss and RTT statistics.', {
    host: host('Host name or address to ping.'),
    count: { type: 'integer', minimum: 1, maximum: 10, default: 3, markdownDescription: 'Echo requests per run.' },
    ttl: { type: 'integer', minimum: 1, maximum: 255, default: 64, markdownDescription: 'IP time-to-live.' },
    packetSize: { type: 'integer', minimum: 0, maximum: 1472, default: 56, markdownDescription: 'Payload bytes.' },
    ipVersion: { enum: ['auto', '4', '6'], default: 'auto', markdownDescription: 'Force IPv4 or IPv6.' },
  }, ['host']),
  traceroute: task('traceroute', 1, 'Path discovery with TTL-limited pings, hops probed concurrently.', {
    host: host('Host name or address to trace to.'),
    maxHops: { type: 'integer', minimum: 1, maximum: 64, default: 30, markdownDescription: 'Maximum TTL.' },
    probesPerHop: { type: 'integer', minimum: 1, maximum: 5, default: 1, markdownDescription: 'Probes per hop.' },
  }, ['host']),
  http: task('http', 5, 'HTTP request with per-phase timings.', httpFields('http'), ['url']),
  https: task('https', 5, 'HTTPS request with per-phase timings and certificate facts.', {
    ...httpFields('https'),
    ignoreTlsErrors: { type: 'boolean', default: false, markdownDescription: 'Report `up` even if the certificate does not verify.' },
  }, ['url']),
  ntp: task('ntp', 3, 'SNTPv4 query: offset, delay, stratum.', {
    server: host('NTP server.'),
    port: port(123),
    samples: { type: 'integer', minimum: 1, maximum: 8, default: 1, markdownDescription: 'Queries per run; the lowest-delay one is reported.' },
  }, ['server']),
  dns: task('dns', 2, 'DNS query to a given server, per record type.', {
    server: host('DNS server to ask.'),
    port: port(53),
    query: { type: 'string', minLength: 1, maxLength: 253, markdownDescription: 'Name to resolve (an address for PTR).' },
    recordTypes: {
      type: 'array',
      items: { enum: DNS_RECORD_TYPES },
      minItems: 1,
      maxItems: DNS_RECORD_TYPES.length,
      uniqueItems: true,
      default: ['A'],
      markdownDescription: 'Record types to query.',
    },
    transport: { enum: ['udp', 'tcp'], default: 'udp', markdownDescription: 'UDP (TCP on truncation) or TCP only.' },
    expect: text(1024, 'The answer must contain this text (e.g. an address).'),
  }, ['server', 'query']),
  tcp: task('tcp', 3, 'TCP connect, with optional send and expect.', {
    host: host('Host to connect to.'),
    port: port(),
    send: text(4096, 'Text to send after connecting.'),
    expect: expectText,
  }, ['host', 'port']),
  udp: task('udp', 3, 'UDP probe on a connected socket: open, closed or open|filtered.', {
    host: host('Host to send to.'),
    port: port(),
    payload: { ...text(1472, 'Datagram payload.'), default: '' },
    expect: expectText,
  }, ['host', 'port']),
  echo: task('echo', 3, 'Echo service check with lorem sentences, compared byte for byte.', {
    host: host('Echo server host.'),
    port: port(12345),
    transport: { enum: ['tcp', 'udp'], default: 'tcp', markdownDescription: 'Echo over TCP or UDP.' },
    sentences: { type: 'integer', minimum: 1, maximum: 3, default: 1, markdownDescription: 'Lorem sentences per run.' },
  }, ['host']),
};

function httpFields(scheme: 'http' | 'https'): Record<string, Schema> {
  return {
    url: {
      type: 'string',
      maxLength: 2048,
      pattern: `^${scheme}://[^\\s]+$`,
      errorMessage: `must be a ${scheme}:// URL`,
      markdownDescription: `URL to request (must start with \`${scheme}://\`).`,
    },
    method: { enum: HTTP_METHODS, default: 'GET', markdownDescription: 'HTTP method.' },
    headers: {
      type: 'object',
      maxProperties: 32,
      propertyNames: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$", errorMessage: 'must be a header name' },
      additionalProperties: { type: 'string', maxLength: 4096 },
      markdownDescription: 'Extra request headers.',
    },
    expectStatus: {
      type: 'string',
      pattern: '^[1-5][0-9]{2}(-[1-5][0-9]{2})?(,[1-5][0-9]{2}(-[1-5][0-9]{2})?)*$',
      errorMessage: 'must be a status or range list such as "200-399" or "200,301"',
      default: '200-399',
      markdownDescription: 'Accepted status codes, e.g. `200-399` or `200,301`.',
    },
    keyword: text(1024, 'Text the body must contain.'),
    invertKeyword: { type: 'boolean', default: false, markdownDescription: 'The body must NOT contain `keyword`.' },
    followRedirects: { type: 'boolean', default: true, markdownDescription: 'Follow redirects (at most `maxRedirects`).' },
    maxRedirects: { type: 'integer', minimum: 0, maximum: 5, default: 5, markdownDescription: 'Redirect limit.' },
  };
}

export const taskSchema: Schema = {
  markdownDescription: 'A check the monitor agent runs on an interval.',
  oneOf: TASK_TYPES.map((t) => taskSchemas[t]),
};

export const MAX_TASKS_PER_MONITOR = 10000;

export const monitorSchema: Schema = {
  type: 'object',
  markdownDescription: 'A monitor agent the manager connects to, and the tasks it runs.',
  properties: {
    id: { ...id, markdownDescription: 'Monitor id the manager hands to the agent; tags every result.' },
    name: text(128, 'Optional label.'),
    host: host('Address the agent listens on.'),
    port: port(),
    tasks: { type: 'array', items: taskSchema, maxItems: MAX_TASKS_PER_MONITOR, default: [], markdownDescription: 'Tasks for this monitor.' },
  },
  required: ['id', 'host', 'port'],
  additionalProperties: false,
};

export const configSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'NetCam monitors (netcam.json)',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    version: { const: 1, default: 1, markdownDescription: 'File format version.' },
    monitors: { type: 'array', items: monitorSchema, maxItems: 1000, default: [], markdownDescription: 'The monitor agents.' },
  },
  required: ['monitors'],
  additionalProperties: false,
};
