/**
 * The part of Node's EventEmitter that PouchDB uses, for bundling `pouchdb-browser` into a
 * page (the `events` polyfill package is not installed). Same semantics where PouchDB relies
 * on them: methods are enumerable on the prototype (PouchDB copies them onto its
 * constructor), listeners run synchronously in order, `once` unregisters before running, an
 * `error` event without a listener throws.
 */
type Listener = ((...args: unknown[]) => void) & { listener?: Listener };
type Registry = Map<string | symbol, Listener[]>;

interface EventEmitter {
  _events?: Registry;
  on(type: string | symbol, fn: Listener): this;
  addListener(type: string | symbol, fn: Listener): this;
  once(type: string | symbol, fn: Listener): this;
  removeListener(type: string | symbol, fn: Listener): this;
  off(type: string | symbol, fn: Listener): this;
  removeAllListeners(type?: string | symbol): this;
  emit(type: string | symbol, ...args: unknown[]): boolean;
  listeners(type: string | symbol): Listener[];
  listenerCount(type: string | symbol): number;
  setMaxListeners(n: number): this;
  getMaxListeners(): number;
}

interface EventEmitterConstructor {
  new (): EventEmitter;
  (this: EventEmitter): void;
  prototype: EventEmitter;
  listenerCount(emitter: EventEmitter, type: string | symbol): number;
  EventEmitter: EventEmitterConstructor;
}

const registry = (ee: EventEmitter): Registry => (ee._events ??= new Map());

const EventEmitter = function (this: EventEmitter) {
  this._events = new Map();
} as unknown as EventEmitterConstructor;

const proto = EventEmitter.prototype;
proto.on = function (type, fn) {
  const r = registry(this);
  r.set(type, [...(r.get(type) ?? []), fn]);
  return this;
};
proto.addListener = proto.on;
proto.once = function (type, fn) {
  const wrapped: Listener = (...args) => {
    this.removeListener(type, wrapped);
    fn.apply(this, args);
  };
  wrapped.listener = fn;
  return this.on(type, wrapped);
};
proto.removeListener = function (type, fn) {
  const r = registry(this);
  const list = r.get(type);
  if (!list) return this;
  const i = list.findIndex((l) => l === fn || l.listener === fn);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) r.delete(type);
  return this;
};
proto.off = proto.removeListener;
proto.removeAllListeners = function (type) {
  if (type === undefined) registry(this).clear();
  else registry(this).delete(type);
  return this;
};
proto.emit = function (type, ...args) {
  const list = registry(this).get(type);
  if (!list || list.length === 0) {
    if (type === 'error') throw args[0] instanceof Error ? args[0] : new Error(String(args[0]));
    return false;
  }
  for (const fn of [...list]) fn.apply(this, args);
  return true;
};
proto.listeners = function (type) {
  return (registry(this).get(type) ?? []).map((l) => l.listener ?? l);
};
proto.listenerCount = function (type) {
  return registry(this).get(type)?.length ?? 0;
};
proto.setMaxListeners = function () {
  return this;
};
proto.getMaxListeners = function () {
  return Infinity;
};
EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);
EventEmitter.EventEmitter = EventEmitter;

export default EventEmitter;
export { EventEmitter };
