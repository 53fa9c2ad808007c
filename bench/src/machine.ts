// What the numbers were measured on: CPU, cores, RAM, kernel, Node, tool versions, and how
// busy the machine was when the bench started.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  kernel: string;
  node: string;
  loadAvgAtStart: number;
  tools: Record<string, string>;
}

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').find((l) => l.trim()) ?? '?';
}

export function describeMachine(): Machine {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
  return {
    cpu: model.trim(),
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    loadAvgAtStart: loadavg()[0],
    tools: {
      nginx: firstLine('nginx', ['-v']).replace(/^nginx version: /, ''),
      blackbox_exporter: firstLine('prometheus-blackbox-exporter', ['--version']).replace(/\s*\(.*$/, ''),
      fping: firstLine('fping', ['-v']),
      chronyd: firstLine('chronyd', ['-v']).replace(/^.*version /, ''),
      dnsmasq: firstLine('dnsmasq', ['-v']).replace(/\s+Copyright.*$/, ''),
      ping: firstLine('ping', ['-V']),
    },
  };
}
