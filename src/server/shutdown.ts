import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { AppError } from '../engine/errors.js';

/** WebSocket close code 1001, "going away": the desk, the monitor and the widget reconnect (to another node). */
export const GOING_AWAY = 1001;

const shuttingDown = () =>
  new AppError(503, 'unavailable', {
    en: 'this server is shutting down; send the request again (another server will take it)',
    pt: 'este servidor está sendo desligado; envie a requisição de novo (outro servidor a receberá)',
  });

/**
 * What app.close() does before Fastify stops listening (a preClose hook), so that nothing the node
 * took is lost and nothing new reaches it once it starts closing:
 *
 * 1. every new request, /healthz included, is answered 503 with `Connection: close` (the load
 *    balancer sees the node leave and sends elsewhere), and so is a WebSocket upgrade;
 * 2. WebSockets are closed with 1001, so their clients reconnect at once to another node;
 * 3. the requests taken before (a customer message waiting in the inbound batcher, an upload…) run to
 *    their answer, which closes its connection, and the WebSockets finish their closing handshake.
 *
 * Then Fastify closes the listener and the idle keep-alive sockets, and its onClose hooks stop the
 * gateways and the engine; only after them does main.ts close the database. Requests still running
 * after `drainMs` (a client uploading too slowly) are cut, so the engine and the pool still close in time.
 * Registered first, so that a refused request costs no session lookup.
 */
export function registerGracefulClose(app: FastifyInstance, opts: { drainMs: number }): void {
  let closing = false;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  app.addHook('onRequest', async (req, reply) => {
    if (closing) {
      reply.header('connection', 'close').header('retry-after', '1');
      throw shuttingDown();
    }
    // a WebSocket outlives its upgrade request: it is closed on its own below
    if (req.headers.upgrade) return;
    inFlight++;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      if (--inFlight === 0) drained?.();
    };
    reply.raw.once('finish', finished);
    reply.raw.once('close', finished);
  });
  // a request taken before the close gets its answer, and then its keep-alive socket is closed: an idle
  // keep-alive socket would otherwise hold the close until its timeout
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('preClose', async () => {
    closing = true;
    const sockets: WebSocket[] = [...(app.websocketServer?.clients ?? [])];
    for (const ws of sockets) ws.close(GOING_AWAY, 'server shutting down');
    const requests = inFlight ? new Promise<void>((resolve) => (drained = resolve)) : Promise.resolve();
    const handshakes = Promise.all(sockets.map((ws) => (ws.readyState === ws.CLOSED ? undefined : once(ws, 'close'))));
    let deadline: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      Promise.all([requests, handshakes]).then(() => false),
      new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(true), opts.drainMs))),
    ]);
    clearTimeout(deadline);
    if (late) {
      app.log.warn({ requests: inFlight }, `requests still running ${opts.drainMs} ms into the shutdown: cut`);
      for (const ws of sockets) ws.terminate();
      app.server.closeAllConnections();
    }
    // the last answer may leave a turn that kept the event loop busy (a batch's commit on PGlite):
    // connections that knocked meanwhile are accepted now and refused with a 503, where closing the
    // listener would reset them unanswered
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  });
}
