import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface Proxy {
  url: string;
  /** Targets of every CONNECT let through, as host:port. */
  tunnels: string[];
  /** CONNECTs refused for want of the right credentials. */
  refused: number;
  close(): Promise<void>;
}

/**
 * A CONNECT proxy on 127.0.0.1, as corporate proxies in front of self-hosted runners are. `hang`
 * makes it accept CONNECT requests and never answer them.
 */
export async function startProxy(
  auth?: { user: string; password: string },
  { hang = false } = {},
): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const proxy: Proxy = { url: '', tunnels: [], refused: 0, close: async () => {} };
  const expected =
    auth && `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    if (hang) return;
    if (expected && req.headers['proxy-authorization'] !== expected) {
      proxy.refused += 1;
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    const target = req.url ?? '';
    proxy.tunnels.push(target);
    const [host, port] = [
      target.slice(0, target.lastIndexOf(':')),
      Number(target.slice(target.lastIndexOf(':') + 1)),
    ];
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const credentials = auth ? `${auth.user}:${auth.password}@` : '';
  proxy.url = `http://${credentials}127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server on 127.0.0.1 that accepts connections and never says a word (a TLS handshake that never ends). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
