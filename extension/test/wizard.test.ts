import * as assert from 'node:assert/strict';
import { checkConfig } from '../../protocol/src/index.js';
import { createMonitorFlow } from '../src/wizard/create-monitor-flow.js';
import type { InputRequest, PickRequest, Prompter } from '../src/wizard/prompter.js';
import { suggestMonitorId, taskFields, validateField, validateMonitorHost, validatePort } from '../src/wizard/task-fields.js';

type Answer = string | string[] | undefined | ((req: InputRequest | PickRequest<unknown>) => string | string[] | undefined);

/** Answers prompts in order; records what each prompt offered. */
class ScriptedPrompter implements Prompter {
  readonly seen: (InputRequest | PickRequest<unknown>)[] = [];
  constructor(private readonly answers: Answer[]) {}
  private next(req: InputRequest | PickRequest<unknown>): string | string[] | undefined {
    this.seen.push(req);
    if (!this.answers.length) throw new Error(`no scripted answer for: ${'prompt' in req ? req.prompt : req.placeholder}`);
    const a = this.answers.shift();
    return typeof a === 'function' ? a(req) : a;
  }
  async input(req: InputRequest) {
    const a = this.next(req);
    if (a === undefined) return undefined;
    const text = a === '' ? (req.value ?? '') : String(a);
    const error = req.validate?.(text);
    if (error) throw new Error(`validation rejected "${text}": ${error}`);
    return text;
  }
  async pick<T>(req: PickRequest<T>) {
    const a = this.next(req as PickRequest<unknown>);
    if (a === undefined) return undefined;
    const item = req.items.find((i) => i.value === a);
    if (!item) throw new Error(`no item ${a} in ${req.items.map((i) => String(i.value)).join(',')}`);
    return item.value;
  }
  async pickMany<T>(req: PickRequest<T>) {
    const a = this.next(req as PickRequest<unknown>);
    if (a === undefined) return undefined;
    return req.items.filter((i) => (a as string[]).includes(String(i.value))).map((i) => i.value);
  }
}

const KEEP = ''; // accept the pre-filled value

describe('create monitor wizard', () => {
  it('builds a monitor with tasks that passes the config schema', async () => {
    const p = new ScriptedPrompter([
      'web-01.example.test', KEEP, KEEP,
      'tcp', '10.0.0.22', '22', KEEP, 'SSH-', KEEP, KEEP,
      'dns', '127.0.0.1', KEEP, 'example.test', ['A', 'AAAA'], 'udp', KEEP, '30', KEEP,
      'done',
    ]);
    const m = await createMonitorFlow(p, ['other']);
    assert.ok(m);
    assert.equal(m.id, 'web-01');
    assert.equal(m.port, 7070);
    assert.deepEqual(m.tasks, [
      { type: 'tcp', host: '10.0.0.22', port: 22, expect: 'SSH-' },
      { type: 'dns', server: '127.0.0.1', query: 'example.test', recordTypes: ['A', 'AAAA'], interval: 30 },
    ]);
    const checked = checkConfig({ version: 1, monitors: [m] });
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.issues));
  });

  it('pre-fills the defaults of the probe reference', async () => {
    const p = new ScriptedPrompter(['127.0.0.1', KEEP, KEEP, 'icmp', '127.0.0.1', KEEP, KEEP, KEEP, 'auto', KEEP, KEEP, 'done']);
    const m = await createMonitorFlow(p, []);
    const prompts = p.seen.filter((r): r is InputRequest => 'prompt' in r);
    const prefilled = Object.fromEntries(prompts.map((r) => [r.title.match(/\((\w+)\)$/)?.[1] ?? r.prompt.split(' ')[0], r.value]));
    assert.equal(prefilled.count, '3');
    assert.equal(prefilled.ttl, '64');
    assert.equal(prefilled.packetSize, '56');
    assert.equal(prefilled.interval, '60');
    assert.equal(prefilled.timeout, '1');
    assert.deepEqual(m?.tasks, [{ type: 'icmp', host: '127.0.0.1' }]);
  });

  it('writes nothing when Escape is pressed at any step', async () => {
    const full = ['127.0.0.1', KEEP, KEEP, 'tcp', '127.0.0.1', '22', KEEP, KEEP, KEEP, KEEP, 'done'];
    for (let cut = 0; cut < full.length; cut++) {
      const answers: Answer[] = full.slice(0, cut);
      answers.push(undefined);
      assert.equal(await createMonitorFlow(new ScriptedPrompter(answers), []), undefined, `escape at step ${cut}`);
    }
  });

  it('validates inline with the protocol schema, naming the field', () => {
    const tcp = taskFields('tcp');
    const port = tcp.find((f) => f.name === 'port')!;
    assert.equal(validateField('tcp', {}, port, '70000'), 'port: must be <= 65535');
    assert.equal(validateField('tcp', {}, port, ''), 'port: required');
    assert.equal(validateField('tcp', {}, port, '2.5'), 'port: must be a whole number');
    assert.equal(validateField('tcp', {}, port, '22'), undefined);
    const timeout = tcp.find((f) => f.name === 'timeout')!;
    assert.equal(validateField('tcp', { host: 'h', port: 1, interval: 5 }, timeout, '5'), 'timeout: must be < interval (5)');
    const url = taskFields('https').find((f) => f.name === 'url')!;
    assert.equal(validateField('https', {}, url, 'http://x'), 'url: must be a https:// URL');
    const host = tcp.find((f) => f.name === 'host')!;
    assert.match(validateField('tcp', {}, host, 'bad host!')!, /^host: must be a host name/);
    assert.match(validateMonitorHost('')!, /^host: required/);
    assert.match(validatePort('0')!, /^port:/);
  });

  it('refuses a monitor id that already exists and suggests a free one', async () => {
    assert.equal(suggestMonitorId('web-01.example.test', ['web-01']), 'web-01-2');
    assert.equal(suggestMonitorId('192.0.2.10', []), '192-0-2-10');
    const p = new ScriptedPrompter(['127.0.0.1', KEEP, 'taken']);
    await assert.rejects(createMonitorFlow(p, ['taken']), /id: a monitor with id "taken" already exists/);
  });

  it('asks every parameter of every task type, type-specific ones first', () => {
    assert.deepEqual(taskFields('icmp').map((f) => f.name), ['host', 'count', 'ttl', 'packetSize', 'ipVersion', 'interval', 'timeout']);
    assert.deepEqual(taskFields('echo').map((f) => f.name), ['host', 'port', 'transport', 'sentences', 'interval', 'timeout']);
    assert.ok(taskFields('https').some((f) => f.name === 'ignoreTlsErrors' && f.kind === 'boolean'));
  });
});
