/**
 * Loads @peculiar/x509 for the identity benchmark only. Its dependency tsyringe refuses to load
 * without a reflect-metadata polyfill, which is not installed; this supplies the few Reflect
 * metadata functions tsyringe and its decorators call (a WeakMap per target), so the library can be
 * timed. The monitor itself does not use @peculiar/x509 (BENCHMARKS.md, "Identity matching").
 */
type Metadata = Map<unknown, unknown>;

export async function loadPeculiarX509(): Promise<typeof import('@peculiar/x509')> {
  const reflect = Reflect as unknown as Record<string, unknown>;
  if (typeof reflect.getMetadata !== 'function') {
    const store = new WeakMap<object, Metadata>();
    const of = (target: object): Metadata => {
      const known = store.get(target);
      if (known !== undefined) return known;
      const created: Metadata = new Map();
      store.set(target, created);
      return created;
    };
    const define = (key: unknown, value: unknown, target: object): void => {
      of(target).set(key, value);
    };
    reflect.defineMetadata = define;
    reflect.getMetadata = (key: unknown, target: object) => store.get(target)?.get(key);
    reflect.getOwnMetadata = reflect.getMetadata;
    reflect.hasOwnMetadata = (key: unknown, target: object) => store.get(target)?.has(key) ?? false;
    reflect.metadata = (key: unknown, value: unknown) => (target: object) => define(key, value, target);
  }
  return import('@peculiar/x509');
}
