// A tiny authoritative DNS server for tests (dns-packet over UDP and TCP on one port).
// UDP answers over 512 bytes are sent truncated (TC bit, no answers), as a real server does.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';

export type Zone = Record<string, { rcode?: string; silent?: boolean; answers?: dnsPacket.Answer[] }>;

export interface TestDnsServer {
  port: number;
  udpQueries: number;
  tcpQueries: number;
  close(): void;
}

function answer(zone: Zone, query: dnsPacket.DecodedPacket): dnsPacket.Packet | null {
  const q = query.questions?.[0];
  if (!q) return null;
  const entry = zone[q.name.toLowerCase()];
  if (entry?.silent) return null;
  const answers = (entry?.answers ?? []).filter((a) => a.type === q.type);
  const rcode = entry ? (entry.rcode ?? 'NOERROR') : 'NXDOMAIN';
  const rcodeNum = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[rcode] ?? 0;
  return {
    type: 'response',
    id: query.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | rcodeNum,
    questions: [q],
    answers,
  };
}

export async function startDnsServer(zone: Zone): Promise<TestDnsServer> {
  const tcpSockets = new Set<Socket>();
  const state = { udpQueries: 0, tcpQueries: 0 };
  const tcp: Server = createServer((s) => {
    tcpSockets.add(s);
    s.on('close', () => tcpSockets.delete(s));
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const query = dnsPacket.decode(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        state.tcpQueries += 1;
        const reply = answer(zone, query);
        if (reply) s.write(dnsPacket.streamEncode(reply));
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
  const port = (tcp.address() as { port: number }).port;
  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    state.udpQueries += 1;
    const query = dnsPacket.decode(msg);
    const reply = answer(zone, query);
    if (!reply) return;
    let out = dnsPacket.encode(reply);
    if (out.length > 512) out = dnsPacket.encode({ ...reply, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
    udp.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    get udpQueries() {
      return state.udpQueries;
    },
    get tcpQueries() {
      return state.tcpQueries;
    },
    close() {
      tcpSockets.forEach((s) => s.destroy());
      tcp.close();
      udp.close();
    },
  };
}
