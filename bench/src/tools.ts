// The system tools the bench runs, from Debian's packages: installed with apt-get when the
// bench runs as root, otherwise named in one clear message.
import { spawnSync } from 'node:child_process';

/** command -> Debian package that provides it. */
export const TOOLS: Record<string, string> = {
  'prometheus-blackbox-exporter': 'prometheus-blackbox-exporter',
  fping: 'fping',
  nginx: 'nginx-light',
  chronyd: 'chrony',
  dnsmasq: 'dnsmasq-base',
  curl: 'curl',
  dig: 'bind9-dnsutils',
  ping: 'iputils-ping',
  openssl: 'openssl',
};

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } }).status === 0;
}

export function ensureTools(log: (line: string) => void): void {
  // nginx, chronyd and dnsmasq live in /usr/sbin, which a non-login PATH may lack.
  if (!(process.env.PATH ?? '').split(':').includes('/usr/sbin')) process.env.PATH = `${process.env.PATH}:/usr/sbin:/sbin`;
  const missing = Object.entries(TOOLS).filter(([cmd]) => !has(cmd));
  if (!missing.length) return;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`missing ${missing.map(([c]) => c).join(', ')}: run  sudo apt-get install -y ${packages.join(' ')}  and start the bench again`);
  }
  log(`installing ${packages.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  }
  const still = missing.filter(([cmd]) => !has(cmd));
  if (r.status !== 0 || still.length) throw new Error(`apt-get could not install ${packages.join(' ')}`);
  // Some packages start their service on install (where init allows it); they were not
  // there before, and the bench runs its own instances on loopback ports only.
  for (const svc of ['nginx', 'chrony', 'prometheus-blackbox-exporter']) spawnSync('service', [svc, 'stop'], { stdio: 'ignore' });
}
