// The probe registry: one probe per task type. The scheduler and `netcam-agent check`
// look probes up here; adding a protocol means one new file and one line below.
import type { ProbeRegistry } from './types.js';
import { icmpProbe } from './icmp.js';
import { tracerouteProbe } from './traceroute.js';
import { httpProbe, httpsProbe } from './http.js';
import { ntpProbe } from './ntp.js';
import { dnsProbe } from './dns.js';
import { tcpProbe } from './tcp.js';
import { udpProbe } from './udp.js';
import { echoProbe } from './echo.js';

export const probes: ProbeRegistry = {
  icmp: icmpProbe,
  traceroute: tracerouteProbe,
  http: httpProbe,
  https: httpsProbe,
  ntp: ntpProbe,
  dns: dnsProbe,
  tcp: tcpProbe,
  udp: udpProbe,
  echo: echoProbe,
};

export { findPing, missingPingText } from './ping-run.js';
export type { Probe, ProbeContext, ProbeOutcome, ProbeRegistry } from './types.js';
