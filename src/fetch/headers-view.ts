/**
 * A request's header fields as a Fetch `Headers`, without copying them until someone writes:
 * reads go straight to the parsed field lines; the first append/set/delete builds a real
 * Headers and everything after uses it. `view instanceof Headers` holds (its prototype chain
 * runs through Headers.prototype, as @hono/node-server and srvx arrange for Request).
 * Names in the view are already lower-case (the parser lower-cases them).
 */
import { forwardRealSlots } from "./real-slots.ts";

export interface HeadersView extends Headers {}

type Fields = ReadonlyArray<readonly [string, string]>;

interface ViewState {
  readonly fields: Fields;
  real: Headers | null;
}

const STATE = Symbol("sundial.headers");

function state(view: object): ViewState {
  const s = (view as { [STATE]?: ViewState })[STATE];
  if (s === undefined) throw new TypeError("Illegal invocation");
  return s;
}

function real(s: ViewState): Headers {
  return (s.real ??= new Headers(s.fields as Array<[string, string]>));
}

/** Fetch §5.2 "sort and combine": sorted names, values joined with ", ", Set-Cookie lines apart. */
function sortedAndCombined(fields: Fields): Array<[string, string]> {
  const byName = new Map<string, string>();
  const cookies: string[] = [];
  for (const [name, value] of fields) {
    if (name === "set-cookie") cookies.push(value);
    else byName.set(name, byName.has(name) ? `${byName.get(name)!}, ${value}` : value);
  }
  const names = [...byName.keys()];
  if (cookies.length > 0) names.push("set-cookie");
  names.sort();
  const out: Array<[string, string]> = [];
  for (const name of names) {
    if (name === "set-cookie") { for (const c of cookies) out.push([name, c]); }
    else out.push([name, byName.get(name)!]);
  }
  return out;
}

const methods = {
  get(this: object, name: string): string | null {
    const s = state(this);
    if (s.real !== null) return s.real.get(name);
    const key = String(name).toLowerCase();
    let joined: string | null = null;
    for (const [n, v] of s.fields) if (n === key) joined = joined === null ? v : `${joined}, ${v}`;
    return joined;
  },
  has(this: object, name: string): boolean {
    const s = state(this);
    if (s.real !== null) return s.real.has(name);
    const key = String(name).toLowerCase();
    for (const [n] of s.fields) if (n === key) return true;
    return false;
  },
  getSetCookie(this: object): string[] {
    const s = state(this);
    if (s.real !== null) return s.real.getSetCookie();
    return s.fields.filter(([n]) => n === "set-cookie").map(([, v]) => v);
  },
  forEach(this: object, fn: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of methods.entries.call(this)) fn.call(thisArg, value, name, this as Headers);
  },
  entries(this: object): IterableIterator<[string, string]> {
    const s = state(this);
    if (s.real !== null) return s.real.entries();
    return sortedAndCombined(s.fields)[Symbol.iterator]() as IterableIterator<[string, string]>;
  },
  keys(this: object): IterableIterator<string> {
    const s = state(this);
    if (s.real !== null) return s.real.keys();
    return sortedAndCombined(s.fields).map(([n]) => n)[Symbol.iterator]() as IterableIterator<string>;
  },
  values(this: object): IterableIterator<string> {
    const s = state(this);
    if (s.real !== null) return s.real.values();
    return sortedAndCombined(s.fields).map(([, v]) => v)[Symbol.iterator]() as IterableIterator<string>;
  },
  append(this: object, name: string, value: string): void {
    real(state(this)).append(name, value);
  },
  set(this: object, name: string, value: string): void {
    real(state(this)).set(name, value);
  },
  delete(this: object, name: string): void {
    real(state(this)).delete(name);
  },
};

const prototype: object = Object.create(Headers.prototype, {
  ...Object.fromEntries(
    Object.entries(methods).map(([name, fn]) => [name, { value: fn, writable: true, configurable: true }]),
  ),
  [Symbol.iterator]: { value: methods.entries, writable: true, configurable: true },
  [Symbol.toStringTag]: { value: "Headers", configurable: true },
});

forwardRealSlots(prototype, new Headers(), (view) => real(state(view)));

/** Header fields (lower-case names, in arrival order) seen as a Headers object. */
export function headersView(fields: Fields): HeadersView {
  const view = Object.create(prototype) as HeadersView;
  Object.defineProperty(view, STATE, { value: { fields, real: null } satisfies ViewState });
  return view;
}

/** The real Headers behind a view (built now if need be), for APIs that check the brand. */
export function realHeaders(view: Headers): Headers {
  const s = (view as { [STATE]?: ViewState })[STATE];
  return s === undefined ? view : real(s);
}
