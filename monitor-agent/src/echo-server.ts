// The included echo server (TCP and UDP), like the Python tool's echo_server.py: echoes
// what it gets, closes a TCP client on `Goodbye`. Unlike it, it serves many clients at
// once, drops idle ones, and caps how many it holds.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

export interface EchoServerOptions {
  host?: string;
  port?: number;
  /** A TCP client silent this long is closed (default 60 s). */
  idleMs?: number;
  /** Concurrent TCP clients (default 1000). */
  maxClients?: number;
}

export interface EchoServer {
  tcpPort: number;
  udpPort: number;
  host: string;
  close(): Promise<void>;
}

export const DEFAULT_ECHO_HOST = '127.0.0.1';
export const DEFAULT_ECHO_PORT = 12345;
const GOODBYE = 'Goodbye';

export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const host = options.host ?? DEFAULT_ECHO_HOST;
  const idleMs = options.idleMs ?? 60_000;
  const clients = new Set<Socket>();
  const tcp = createServer((socket) => serveTcpClient(socket, idleMs, clients));
  tcp.maxConnections = options.maxClients ?? 1000;
  await listen(tcp, host, options.port ?? DEFAULT_ECHO_PORT);
  const tcpPort = (tcp.address() as { port: number }).port;
  let udp: UdpSocket;
  try {
    udp = await bindUdp(host, tcpPort);
  } catch (err) {
    tcp.close();
    throw err;
  }
  udp.on('message', (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
  udp.on('error', () => {}); // a send to a vanished client must not take the server down
  return {
    host,
    tcpPort,
    udpPort: udp.address().port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.destroy();
        udp.close();
        tcp.close(() => resolve());
      }),
  };
}

function serveTcpClient(socket: Socket, idleMs: number, clients: Set<Socket>): void {
  clients.add(socket);
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    if (chunk.toString('utf8').trim() === GOODBYE) {
      socket.end();
      return;
    }
    socket.write(chunk);
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => clients.delete(socket));
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function bindUdp(host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(port, host, () => resolve(socket));
  });
}
