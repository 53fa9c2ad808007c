// netcam.json store: validation with paths, stable atomic writes, broken files left alone,
// reload on external change.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ConfigStore, type ConfigIssue, type NetcamConfig } from '../src/index.js';
import { tempDir, waitFor } from './support/helpers.js';

describe('config store (netcam.json)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: ConfigStore;
  let path: string;
  beforeEach(() => {
    tmp = tempDir();
    path = join(tmp.dir, 'netcam.json');
    store = new ConfigStore(path, { debounceMs: 20, pollMs: 100 });
  });
  afterEach(() => {
    store.dispose();
    tmp.cleanup();
  });

  it('creates, updates and deletes monitors and tasks with a stable, readable layout', async () => {
    await store.load();
    await store.createMonitor({ id: 'web-01', host: '10.0.0.21', port: 7070 });
    const t1 = await store.createTask('web-01', { type: 'tcp', port: 22, host: '10.0.0.22', interval: 30 });
    const t2 = await store.createTask('web-01', { type: 'icmp', host: '10.0.0.1' });
    assert.equal(t1.id, 'tcp-1');
    assert.equal(t2.timeout, 1, 'defaults applied in memory');
    const text = readFileSync(path, 'utf8');
    assert.equal(
      text,
      `{
  "version": 1,
  "monitors": [
    {
      "id": "web-01",
      "host": "10.0.0.21",
      "port": 7070,
      "tasks": [
        {
          "id": "tcp-1",
          "type": "tcp",
          "host": "10.0.0.22",
          "port": 22,
          "interval": 30
        },
        {
          "id": "icmp-1",
          "type": "icmp",
          "host": "10.0.0.1"
        }
      ]
    }
  ]
}
`,
    );
    await store.updateTask('web-01', 'tcp-1', { type: 'tcp', host: '10.0.0.22', port: 2222 });
    await store.deleteTask('web-01', 'icmp-1');
    await store.updateMonitor('web-01', { name: 'rack A' });
    assert.deepEqual(store.config.monitors[0].tasks.map((t) => [t.id, (t as { port?: number }).port]), [['tcp-1', 2222]]);
    assert.equal(store.config.monitors[0].name, 'rack A');
    await store.deleteMonitor('web-01');
    assert.equal(store.config.monitors.length, 0);
    assert.deepEqual(readdirSync(tmp.dir), ['netcam.json'], 'no temp files left behind');
  });

  it('rejects an invalid change with the JSON path and leaves the file as it was', async () => {
    await store.createMonitor({ id: 'm', host: 'h', port: 1 });
    const before = readFileSync(path, 'utf8');
    await assert.rejects(store.createTask('m', { type: 'tcp', host: 'h', port: 70000 }), (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /netcam\.json: monitors\[0\]\.tasks\[0\]\.port: must be <= 65535/);
      return true;
    });
    assert.equal(readFileSync(path, 'utf8'), before);
  });

  it('reports a broken file with its path and never overwrites it with a save', async () => {
    const broken = '{ "version": 1, "monitors": [ { "id": "m", "host": "h", "port": 0 } ] }';
    writeFileSync(path, broken);
    await assert.rejects(store.load(), /netcam\.json: monitors\[0\]\.port: must be >= 1/);
    assert.equal(store.issues[0].path, 'monitors[0].port');
    assert.equal(store.issues[0].file, path);
    await assert.rejects(store.createMonitor({ id: 'x', host: 'h', port: 1 }), /file on disk is broken/);
    assert.equal(readFileSync(path, 'utf8'), broken);
    writeFileSync(path, '{ "monitors": [ ');
    await assert.rejects(store.load(), /\(file\): is not valid JSON/);
    assert.equal(readFileSync(path, 'utf8'), '{ "monitors": [ ');
  });

  it('reloads when the file changes on disk and reports breakage', async () => {
    await store.load();
    store.watch();
    const changes: NetcamConfig[] = [];
    const errors: ConfigIssue[][] = [];
    store.onDidChange((c) => changes.push(c));
    store.onError((i) => errors.push(i));
    writeFileSync(path, JSON.stringify({ monitors: [{ id: 'a', host: 'h', port: 5 }] }));
    await waitFor(() => changes.length === 1, 5000, 'a reload');
    assert.equal(store.config.monitors[0].id, 'a');
    writeFileSync(path, JSON.stringify({ monitors: [{ id: 'a', host: 'h', port: 'x' }] }));
    await waitFor(() => errors.length === 1, 5000, 'an error report');
    assert.equal(errors[0][0].path, 'monitors[0].port');
    assert.equal(store.config.monitors[0].port, 5, 'the last valid config is kept');
    assert.ok(existsSync(path));
  });
});
