/**
 * What lets a stand-in pass for a real Request or Headers where a runtime looks inside it.
 *
 * The stand-ins (request.ts, headers-view.ts) inherit the real prototype, so `instanceof` and
 * every public member work. But a runtime's own code reads the internal slots of what it is given:
 * `new Request(request)`, `fetch(request)` and `request.clone()` read undici's `Symbol(state)` on
 * Node and `Symbol(request)` on Deno; Node's inspect of Headers reads a private field. Two remedies,
 * both without touching a global:
 * - every symbol-keyed slot a real instance carries (found once, from a sample) becomes an accessor
 *   on the stand-in's prototype that answers from the real object behind it, built on first need;
 * - console.log / util.inspect print the real object: the inspect hook (a registered symbol,
 *   `Symbol.for("nodejs.util.inspect.custom")`, which Node and Bun honour) returns it, and a hook
 *   that returns an object has that object printed in its place. Deno's console prints its own
 *   classes with a private hook that reads the forwarded slots, so it needs nothing more.
 */

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Gives `prototype` an accessor for each symbol slot of `sample` (a real instance), and an inspect
 * hook, each answering from `realOf(stand-in)`.
 */
export function forwardRealSlots(prototype: object, sample: object, realOf: (standIn: object) => object): void {
  for (const key of Object.getOwnPropertySymbols(sample)) {
    if (Object.prototype.hasOwnProperty.call(prototype, key)) continue;
    Object.defineProperty(prototype, key, {
      get(this: object) {
        return Reflect.get(realOf(this), key);
      },
      set(this: object, value: unknown) {
        Reflect.set(realOf(this), key, value);
      },
      configurable: true,
    });
  }
  Object.defineProperty(prototype, INSPECT, {
    value(this: object): object {
      return realOf(this);
    },
    writable: true,
    configurable: true,
  });
}
