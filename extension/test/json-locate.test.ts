import * as assert from 'node:assert/strict';
import { locateJsonPath, locateMonitor, locateTask, parseJsonPath, syntaxErrors } from '../src/model/json-locate.js';

const text = `{
  "version": 1,
  "monitors": [
    {
      "id": "web-01",
      "host": "127.0.0.1",
      "port": 7070,
      "tasks": [
        { "id": "gw", "type": "icmp", "host": "10.0.0.1" },
        { "id": "ssh", "type": "tcp", "host": "10.0.0.22", "port": 99999, "odd key": 1 }
      ]
    }
  ]
}`;
const slice = (r: { start: number; end: number }) => text.slice(r.start, r.end);

describe('JSON path → range in netcam.json', () => {
  it('parses validator paths', () => {
    assert.deepEqual(parseJsonPath('monitors[0].tasks[1]["odd key"]'), ['monitors', 0, 'tasks', 1, 'odd key']);
    assert.deepEqual(parseJsonPath('(file)'), []);
  });

  it('underlines the field a problem names', () => {
    assert.equal(slice(locateJsonPath(text, 'monitors[0].tasks[1].port')), '"port": 99999');
    assert.equal(slice(locateJsonPath(text, 'monitors[0].tasks[1]["odd key"]')), '"odd key": 1');
  });

  it('underlines the key of an object or array, and the first line of an array item', () => {
    assert.equal(slice(locateJsonPath(text, 'monitors[0].tasks')), '"tasks"');
    assert.equal(slice(locateJsonPath(text, 'monitors[0].tasks[0]')), '{ "id": "gw", "type": "icmp", "host": "10.0.0.1" }');
  });

  it('falls back to the nearest existing ancestor for a missing field', () => {
    assert.equal(slice(locateJsonPath(text, 'monitors[0].tasks[1].expect')), '{ "id": "ssh", "type": "tcp", "host": "10.0.0.22", "port": 99999, "odd key": 1 }');
  });

  it('finds syntax errors with their position', () => {
    const broken = '{ "monitors": [ { "id": "a", } ] ';
    const errors = syntaxErrors(broken);
    assert.ok(errors.length >= 1);
    assert.match(errors[0].message, /is not valid JSON/);
    assert.ok(errors[0].range.start > 10);
  });

  it('locates a monitor and a task by id', () => {
    assert.match(slice(locateMonitor(text, 'web-01')!), /^\{\n\s+"id": "web-01"/);
    assert.equal(locateMonitor(text, 'nope'), undefined);
    assert.match(slice(locateTask(text, 'web-01', 'ssh')!), /^\{ "id": "ssh"/);
  });
});
