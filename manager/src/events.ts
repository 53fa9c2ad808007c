// A tiny typed event emitter: one Emitter per event, so listeners get typed arguments
// and a Disposable to unsubscribe (the shape VS Code's own events have).

export interface Disposable {
  dispose(): void;
}

export type Listener<A extends unknown[]> = (...args: A) => void;

export class Emitter<A extends unknown[]> {
  private listeners = new Set<Listener<A>>();

  /** Subscribes; the returned Disposable unsubscribes. */
  readonly event = (listener: Listener<A>): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  /** Calls every listener; one throwing listener neither stops the others nor the caller. */
  fire(...args: A): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  clear(): void {
    this.listeners.clear();
  }
}
