import type { DnsTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { down } from './util.js';
// Placeholder while the DNS probe lands.
export const dnsProbe: Probe<DnsTask> = async () => down('error: dns probe not yet implemented');
