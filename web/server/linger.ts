import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

// A lingering close for answers given before their request was read whole
// (an oversized upload refused after its first bytes). Node closes such a
// connection once the answer is written; with the client's bytes still
// arriving, the kernel then resets it, and the reset can reach the client
// before it has read the answer, which is lost (the client sees a broken
// connection instead of 413). Such a socket instead sends its FIN after
// the answer and keeps reading, discarding, until the client closes or
// lingerMs have passed.

type ClosingSocket = Socket & { destroySoon?: () => void };

export function lingeringClose(lingerMs = 2000) {
  const current = new WeakMap<Socket, IncomingMessage>();
  return (req: IncomingMessage, _res: ServerResponse): void => {
    const socket = req.socket as ClosingSocket;
    const seen = current.has(socket);
    current.set(socket, req);
    // destroySoon is what Node's server calls to close after an answer.
    if (seen || typeof socket.destroySoon !== "function") return;
    const closeNow = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      const last = current.get(socket);
      if (!last || last.complete || socket.destroyed) return closeNow();
      socket.end();
      // Whoever read the body stopped; from here it is read and dropped.
      last.on("data", () => undefined);
      last.resume();
      const timer = setTimeout(() => socket.destroy(), lingerMs);
      socket.once("end", () => socket.destroy());
      socket.once("close", () => clearTimeout(timer));
    };
  };
}
