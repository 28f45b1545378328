/**
 * The fake KMS's class catalog agrees with the classes kurento-client 7.3.0 registers: the same
 * classes, abstract or not, parents, constructor parameters, events, and every operation the
 * client can invoke is one the fake's generated-style `invoke` recognises on that class.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { classes, eventsOf, lineage } from '../support/fake-kms/catalog.js';

interface RegisteredClass {
  name: string;
  prototype: object;
  constructorParams?: Record<string, { type: string; required?: boolean }>;
  events?: string[];
}

const require = createRequire(import.meta.url);
const register = (require('kurento-client') as { register: { classes: Record<string, RegisteredClass>; abstracts: Record<string, RegisteredClass>; modules: string[] } }).register;
const registered = (name: string): RegisteredClass | undefined => register.classes[name] ?? register.abstracts[name];
const names = (table: Record<string, unknown>) => Object.keys(table).filter((k) => !k.includes('.'));

/** Client-side helpers that never reach the server as an `invoke`. */
const helpers: Record<string, string[]> = {
  MediaObject: ['constructor', '_invoke', 'release', 'then', 'catch', 'commited'],
  MediaPipeline: ['constructor', 'connect'],
  Hub: ['constructor', 'createHubPort'],
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

describe('fake KMS catalog vs kurento-client 7.3.0', () => {
  it('has exactly the classes the client registers, abstract where the client says', () => {
    expect([...classes.keys()].sort()).toEqual([...names(register.classes), ...names(register.abstracts)].sort());
    for (const [name, spec] of classes) expect([name, Boolean(spec.abstract)]).toEqual([name, name in register.abstracts]);
    expect(register.modules).toEqual(['core', 'elements', 'filters']);
  });

  it.each([...classes.keys()])('%s: same parents, constructor parameters, events and operations', (name) => {
    const C = registered(name)!;
    const parents: string[] = [];
    for (let p = Object.getPrototypeOf(C.prototype) as { constructor: { name: string } } | null; p && p.constructor.name !== 'EventEmitter'; p = Object.getPrototypeOf(p) as typeof p) parents.push(p.constructor.name);
    expect(parents).toEqual(lineage(name).slice(1).map((c) => c.name));

    const spec = classes.get(name)!;
    const theirs = Object.entries(C.constructorParams ?? {}).map(([k, v]) => [k, Boolean(v.required)]).sort();
    const ours = (spec.constructorParams ?? []).map((p) => [p.name, !p.optional]).sort();
    expect(ours).toEqual(theirs);
    expect([...new Set(eventsOf(name))].sort()).toEqual([...(C.events ?? [])].sort());

    const operations = new Set([
      ...(spec.methods ?? []).map((m) => m.name),
      ...(spec.properties ?? []).flatMap((p) => [`get${cap(p.name)}`, ...(p.access === 'rw' ? [`set${cap(p.name)}`] : [])]),
    ]);
    const clientOps = Object.getOwnPropertyNames(C.prototype).filter((op) => !(helpers[name] ?? ['constructor']).includes(op));
    for (const op of clientOps) expect([name, op, operations.has(op)]).toEqual([name, op, true]);
  });
});
