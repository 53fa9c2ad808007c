import type { NtpTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { down } from './util.js';
// Placeholder while the SNTP probe lands.
export const ntpProbe: Probe<NtpTask> = async () => down('error: ntp probe not yet implemented');
