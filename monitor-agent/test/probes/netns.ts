// Three network namespaces for path tests: client ── router ── target, on private
// addresses that exist only inside them (nothing in the root namespace changes).
import { spawnSync } from 'node:child_process';

export interface Topology {
  client: string;
  router: string;
  target: string;
  routerAddr: string;
  targetAddr: string;
  /** Runs a command inside a namespace; throws on failure. */
  exec(ns: string, args: string[]): string;
  remove(): void;
}

function run(args: string[]): string {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

export function canUseNetns(): boolean {
  return process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
}

export function createTopology(tag = String(process.pid)): Topology {
  const id = tag.slice(-6);
  const client = `ncC${id}`;
  const router = `ncR${id}`;
  const target = `ncT${id}`;
  const t: Topology = {
    client,
    router,
    target,
    routerAddr: '10.251.1.1',
    targetAddr: '10.251.2.2',
    exec: (ns, args) => run(['ip', 'netns', 'exec', ns, ...args]),
    remove: () => {
      for (const ns of [client, router, target]) spawnSync('ip', ['netns', 'del', ns]);
    },
  };
  try {
    for (const ns of [client, router, target]) run(['ip', 'netns', 'add', ns]);
    run(['ip', 'link', 'add', `ncc${id}`, 'type', 'veth', 'peer', 'name', `ncrc${id}`]);
    run(['ip', 'link', 'set', `ncc${id}`, 'netns', client]);
    run(['ip', 'link', 'set', `ncrc${id}`, 'netns', router]);
    run(['ip', 'link', 'add', `nct${id}`, 'type', 'veth', 'peer', 'name', `ncrt${id}`]);
    run(['ip', 'link', 'set', `nct${id}`, 'netns', target]);
    run(['ip', 'link', 'set', `ncrt${id}`, 'netns', router]);
    const ipn = (ns: string, ...a: string[]) => run(['ip', '-n', ns, ...a]);
    for (const ns of [client, router, target]) ipn(ns, 'link', 'set', 'lo', 'up');
    ipn(client, 'addr', 'add', '10.251.1.2/24', 'dev', `ncc${id}`);
    ipn(client, 'link', 'set', `ncc${id}`, 'up');
    ipn(client, 'route', 'add', 'default', 'via', '10.251.1.1');
    ipn(router, 'addr', 'add', '10.251.1.1/24', 'dev', `ncrc${id}`);
    ipn(router, 'addr', 'add', '10.251.2.1/24', 'dev', `ncrt${id}`);
    ipn(router, 'link', 'set', `ncrc${id}`, 'up');
    ipn(router, 'link', 'set', `ncrt${id}`, 'up');
    t.exec(router, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    ipn(target, 'addr', 'add', '10.251.2.2/24', 'dev', `nct${id}`);
    ipn(target, 'link', 'set', `nct${id}`, 'up');
    ipn(target, 'route', 'add', 'default', 'via', '10.251.2.1');
  } catch (err) {
    t.remove();
    throw err;
  }
  return t;
}

/** Makes the target drop ICMP echo requests (silence, as behind a firewall). */
export function dropPingsAtTarget(t: Topology): void {
  t.exec(t.target, ['nft', 'add table inet netcam; add chain inet netcam in { type filter hook input priority 0; }; add rule inet netcam in icmp type echo-request drop']);
}
