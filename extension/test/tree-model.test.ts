import * as assert from 'node:assert/strict';
import { monitorNode, taskNode, taskTooltip, monitorTooltip, nextTickDelay, describeMonitorLink } from '../src/model/tree-model.js';
import { monitor, task, result, NOW } from './fixtures.js';

describe('tree model: monitors', () => {
  it('shows the connection state in the description and the context value', () => {
    const cases = [
      ['connected', 'connected · 1 up', 'monitor.connected', 'vm-active'],
      ['connecting', 'connecting…', 'monitor.connecting', 'loading~spin'],
      ['stopped', 'stopped', 'monitor.stopped', 'vm-outline'],
      ['idle', 'not collecting', 'monitor.idle', 'vm-outline'],
    ] as const;
    for (const [link, description, contextValue, icon] of cases) {
      const n = monitorNode(monitor({ link }), NOW);
      assert.equal(n.description, description, link);
      assert.equal(n.contextValue, contextValue);
      assert.equal(n.icon.id, icon);
    }
  });

  it('counts down the next retry while backing off', () => {
    const n = monitorNode(monitor({ link: 'backingOff', nextRetryAt: NOW + 11_200, lastError: 'refused' }), NOW);
    assert.equal(n.description, 'retrying in 12 s');
    assert.equal(n.icon.color, 'list.warningForeground');
    assert.match(monitorTooltip(monitor({ link: 'backingOff', nextRetryAt: NOW + 11_200, lastError: 'refused' }), NOW), /Last error: refused/);
    assert.equal(nextTickDelay([monitor({ link: 'backingOff', nextRetryAt: NOW + 11_200 })], NOW), 200);
  });

  it('shows why a monitor is in error', () => {
    const n = monitorNode(monitor({ link: 'error', lastError: 'no agent secret set' }), NOW);
    assert.equal(n.description, 'error: no agent secret set');
    assert.equal(n.contextValue, 'monitor.error');
  });

  it('keeps the id stable whatever the status or label', () => {
    const a = monitorNode(monitor({ link: 'connected' }), NOW);
    const b = monitorNode(monitor({ link: 'error', name: 'Web front', tasks: [] }), NOW);
    assert.equal(a.id, b.id);
    assert.equal(b.label, 'Web front');
    assert.equal(b.collapsible, false);
  });

  it('summarizes task statuses worst first on a connected monitor', () => {
    const m = monitor({ tasks: [task({ id: 'a' }), task({ id: 'b', status: 'down' }), task({ id: 'c', status: 'degraded' }), task({ id: 'd' })] });
    assert.equal(monitorNode(m, NOW).description, 'connected · 1 down 1 degraded 2 up');
  });

  it('describes links the same way for every state', () => {
    assert.equal(describeMonitorLink({ link: 'backingOff', nextRetryAt: NOW - 5 }, NOW), 'retrying now');
  });
});

describe('tree model: tasks', () => {
  it('shows target, last status and latency, with a type icon coloured by status', () => {
    const n = taskNode(monitor(), task(), NOW);
    assert.equal(n.label, 'ssh');
    assert.equal(n.description, '10.0.0.22:22 · up · 0.84 ms');
    assert.deepEqual(n.icon, { id: 'plug', color: 'testing.iconPassed' });
    assert.equal(n.contextValue, 'task.up.live');
    assert.equal(n.id, 'task:web-01/ssh');
    assert.match(n.accessibilityLabel, /last result 12 s ago/);
  });

  it('omits the latency of a down task, and dims the last status of a monitor not collecting', () => {
    const t = task({ status: 'down', last: result({ status: 'down', latencyMs: null, error: 'refused: connection refused' }) });
    assert.equal(taskNode(monitor(), t, NOW).icon.color, 'testing.iconFailed');
    const n = taskNode(monitor({ link: 'stopped' }), t, NOW);
    assert.equal(n.description, '10.0.0.22:22 · last down');
    assert.equal(n.icon.color, 'disabledForeground');
    assert.equal(n.contextValue, 'task.down.offline');
    assert.match(n.accessibilityLabel, /, last down, last result 12 s ago$/);
  });

  it('explains the last result in the tooltip: status, age, error, details', () => {
    const t = task({ status: 'down', last: result({ status: 'down', error: 'refused: connection refused', details: { state: 'refused', hops: [{ ttl: 1 }] } }) });
    const tip = taskTooltip(monitor(), t, NOW);
    assert.match(tip, /Status: \*\*down\*\*/);
    assert.match(tip, /Last result: down, 12 s ago/);
    assert.match(tip, /Error: refused: connection refused/);
    assert.match(tip, /state: `refused`/);
    assert.match(tip, /hops: `\[\{"ttl":1\}\]`/);
  });

  it('says when there is no result yet', () => {
    const t = task({ status: 'unknown', last: undefined });
    assert.match(taskTooltip(monitor(), t, NOW), /No result yet/);
    assert.match(taskNode(monitor(), t, NOW).accessibilityLabel, /no result yet/);
  });

  it('escapes agent-supplied text in tooltips', () => {
    const t = task({ last: result({ error: '[click](command:evil) <img>' }) });
    const tip = taskTooltip(monitor(), t, NOW);
    assert.ok(!tip.includes('[click](command:evil)'));
    assert.ok(!tip.includes('<img>'));
  });
});
