import type { HttpTask, HttpsTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { down } from './util.js';
// Placeholder while the undici probe lands.
export const httpProbe: Probe<HttpTask> = async () => down('error: http probe not yet implemented');
export const httpsProbe: Probe<HttpsTask> = async () => down('error: https probe not yet implemented');
