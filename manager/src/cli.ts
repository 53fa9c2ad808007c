// netcam CLI entry point (placeholder until the manager lands).
import { PROTOCOL_VERSION } from '../../protocol/src/index.js';

const [command] = process.argv.slice(2);
if (command === 'demo') {
  console.log('netcam demo: not yet — the agent and manager are being built (see README).');
} else {
  console.log(`netcam (protocol v${PROTOCOL_VERSION}): not yet implemented`);
}
