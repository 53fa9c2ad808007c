import assert from 'node:assert/strict';
import { startupWarnings } from '../../src/agent-cli.js';
import { hasTool } from '../../../test/support/tools.js';

describe('agent start-up warnings', () => {
  it('says which ping the icmp checks use, or that they will be down and which package to install', () => {
    const [line] = startupWarnings();
    if (hasTool('ping')) assert.match(line, /^icmp and traceroute checks use \/\S*ping$/);
    else assert.match(line, /will be down: .*apt-get install iputils-ping/);
  });

  it('warns when running as root that only ping needs privileges', () => {
    const rootLine = startupWarnings().find((l) => l.includes('running as root'));
    assert.equal(Boolean(rootLine), process.getuid?.() === 0);
  });
});
