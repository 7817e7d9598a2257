/**
 * The part of Node's EventEmitter that PouchDB uses, for bundling `pouchdb-browser` into a
 * page (the `events` polyfill package is not installed). Same semantics where PouchDB relies
 * on them: listeners run synchronously in order, `once` unregisters before running, an
 * `error` event without a listener throws.
 */
type Listener = (...args: unknown[]) => void;

export default class EventEmitter {
  private _events = new Map<string | symbol, Listener[]>();

  static listenerCount(emitter: EventEmitter, type: string | symbol): number {
    return emitter.listenerCount(type);
  }

  on(type: string | symbol, fn: Listener): this {
    this._events.set(type, [...(this._events.get(type) ?? []), fn]);
    return this;
  }

  addListener(type: string | symbol, fn: Listener): this {
    return this.on(type, fn);
  }

  once(type: string | symbol, fn: Listener): this {
    const wrapped: Listener & { listener?: Listener } = (...args) => {
      this.removeListener(type, wrapped);
      fn.apply(this, args);
    };
    wrapped.listener = fn;
    return this.on(type, wrapped);
  }

  removeListener(type: string | symbol, fn: Listener): this {
    const list = this._events.get(type);
    if (!list) return this;
    const i = list.findIndex((l) => l === fn || (l as { listener?: Listener }).listener === fn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this._events.delete(type);
    return this;
  }

  off(type: string | symbol, fn: Listener): this {
    return this.removeListener(type, fn);
  }

  removeAllListeners(type?: string | symbol): this {
    if (type === undefined) this._events.clear();
    else this._events.delete(type);
    return this;
  }

  emit(type: string | symbol, ...args: unknown[]): boolean {
    const list = this._events.get(type);
    if (!list || list.length === 0) {
      if (type === 'error') throw args[0] instanceof Error ? args[0] : new Error(String(args[0]));
      return false;
    }
    for (const fn of [...list]) fn.apply(this, args);
    return true;
  }

  listeners(type: string | symbol): Listener[] {
    return [...(this._events.get(type) ?? [])].map((l) => (l as { listener?: Listener }).listener ?? l);
  }

  listenerCount(type: string | symbol): number {
    return this._events.get(type)?.length ?? 0;
  }

  setMaxListeners(): this {
    return this;
  }

  getMaxListeners(): number {
    return Infinity;
  }
}

export { EventEmitter };
