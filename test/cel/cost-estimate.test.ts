// The static cost estimate on parsed expressions: linear where the work is linear in
// the object (one comprehension, or one over each element's own field), a product
// where a comprehension runs over a whole list of the object for each element.
import { describe, expect, it } from 'vitest';
import { rootOf } from '../../functions/core/cel/cel-ast.js';
import { celEnvironment } from '../../functions/core/cel/cel-environment.js';
import { estimateCost, maxObjectBytes } from '../../functions/core/cel/cost-estimate.js';

const sizes = new Map([
  ['object', maxObjectBytes],
  ['params', 40],
]);

function costOf(expression: string, params?: unknown): number {
  const program = celEnvironment().parse(expression);
  program.check();
  return estimateCost(rootOf(program), { sizes, depth: 0, params }).cost;
}

/** The most list elements a 3 MiB object holds (3 bytes an element). */
const elements = maxObjectBytes / 3;

describe('the static cost estimate', () => {
  it('charges a field access a unit or two', () => {
    expect(costOf('object.spec.replicas > 2')).toBeLessThan(10);
  });

  it('charges a comprehension the most elements an object can have, times its step', () => {
    const cost = costOf('object.spec.containers.all(c, c.name != "")');
    expect(cost).toBeGreaterThan(elements);
    expect(cost).toBeLessThan(10 * elements);
  });

  it('keeps a comprehension over each element own field linear', () => {
    const cost = costOf('object.spec.containers.all(c, c.ports.all(p, p.containerPort > 0))');
    expect(cost).toBeLessThan(20 * elements);
  });

  it('multiplies a comprehension over the whole list inside another', () => {
    const cost = costOf('object.spec.containers.all(c, object.spec.containers.exists(d, d.name == c.name))');
    expect(cost).toBeGreaterThan(elements * elements);
  });

  it('estimates two-variable comprehensions as loops too', () => {
    expect(costOf('object.spec.containers.all(i, c, c.name != "")')).toBeGreaterThan(elements);
    const nested = 'object.spec.containers.all(i, c, object.spec.containers.exists(j, d, d.name == c.name))';
    expect(costOf(nested)).toBeGreaterThan(elements * elements);
  });

  it('counts the elements of a literal list exactly', () => {
    expect(costOf('[1, 2, 3].all(x, [4, 5].exists(y, x < y))')).toBeLessThan(100);
  });

  it('measures params, known when the policy loads, instead of bounding them', () => {
    const params = { registries: ['docker.io/', 'myregistry.azurecr.io/'] };
    const cost = costOf('object.spec.containers.all(c, params.registries.exists(r, c.image.startsWith(r)))', params);
    expect(cost).toBeLessThan(50 * elements);
  });

  it('charges string work by ten characters', () => {
    const scan = costOf("object.metadata.name.matches('^a')");
    expect(scan).toBeGreaterThan(maxObjectBytes / 10);
    expect(scan).toBeLessThan(maxObjectBytes / 5);
  });

  it('refuses comprehensions nested more than six deep', () => {
    const deep = `[1].all(a, [1].all(b, [1].all(c, [1].all(d, [1].all(e, [1].all(f, [1].all(g, true)))))))`;
    expect(() => costOf(deep)).toThrow('more than 6 comprehensions inside one another');
  });
});
