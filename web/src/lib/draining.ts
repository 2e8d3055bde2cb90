// The shutdown flag, shared through globalThis by the launcher (which sets
// it on SIGTERM) and the readiness route (which then answers 503), as they
// are loaded as separate bundles within one process.

const KEY = Symbol.for("shipshape.web.draining");

type Holder = { [KEY]?: boolean };

export function setDraining(v = true): void {
  (globalThis as Holder)[KEY] = v;
}

export function isDraining(): boolean {
  return (globalThis as Holder)[KEY] === true;
}
