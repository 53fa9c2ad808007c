import * as assert from 'node:assert/strict';
import { summarizeFleet } from '../src/model/status-summary.js';
import { monitor, task, NOW } from './fixtures.js';

describe('status bar summary', () => {
  it('is hidden when nothing is configured', () => {
    assert.equal(summarizeFleet({ monitors: [] }, NOW).visible, false);
  });

  it('puts the worst state first', () => {
    const s = summarizeFleet({
      monitors: [
        monitor({ tasks: [task({ id: 'a' }), task({ id: 'b' }), task({ id: 'c', status: 'down' })] }),
        monitor({ id: 'db', tasks: Array.from({ length: 5 }, (_, i) => task({ id: `t${i}` })) }),
      ],
    }, NOW);
    assert.equal(s.text, '$(error) NetCam 1 down 7 up');
    assert.equal(s.worst, 'down');
    assert.match(s.tooltip, /web-01: connected — 1 down, 2 up/);
  });

  it('counts unreachable monitors and ignores tasks of monitors not collecting', () => {
    const s = summarizeFleet({
      monitors: [monitor({ link: 'backingOff', nextRetryAt: NOW + 3000 }), monitor({ id: 'b', link: 'stopped', tasks: [task({ status: 'down' })] }), monitor({ id: 'c' })],
    }, NOW);
    assert.equal(s.text, '$(debug-disconnect) NetCam 1 unreachable 1 up');
    assert.match(s.tooltip, /retrying in 3 s/);
  });

  it('says idle when monitors exist but none is collecting', () => {
    const s = summarizeFleet({ monitors: [monitor({ link: 'idle' })] }, NOW);
    assert.equal(s.text, '$(circle-outline) NetCam idle');
    assert.equal(s.visible, true);
  });
});
