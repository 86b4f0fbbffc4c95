// The Kubernetes CEL libraries the kernel adds: quantity, lists, strings, regex (on a
// linear-time engine) and URLs, each shown allowing one object and denying another.
import { describe, expect, it } from 'vitest';
import { deployment, messagesOf } from './cel-rule-harness.js';

const withResources = (memory: string, cpu = '500m') =>
  deployment(3, [{ name: 'web', image: 'nginx:1.27', resources: { limits: { memory, cpu } } }]);
const denied = ['deployment shop/web: denied'];
const check = (expression: string, object: unknown) => messagesOf({ expression, message: 'denied' }, object);

describe('the quantity library', () => {
  const atMost1Gi =
    "object.spec.template.spec.containers.all(c, !quantity(c.resources.limits.memory).isGreaterThan(quantity('1Gi')))";

  it('compares quantities whatever their suffixes', () => {
    expect(check(atMost1Gi, withResources('1000Mi'))).toEqual([]);
    expect(check(atMost1Gi, withResources('1.5G'))).toEqual(denied);
  });

  it.each([
    ["quantity('500m').add(quantity('1.5')).compareTo(quantity('2')) == 0", true],
    ["quantity('2Ki').sub(2048).sign() == 0 && quantity('1k').asInteger() == 1000", true],
    ["quantity('1.5').isInteger() || quantity('1.5').asApproximateFloat() != 1.5", false],
    ["isQuantity('1Gi') && !isQuantity('one gig') && quantity('1m').isLessThan(quantity('1'))", true],
    ["quantity('1e3').compareTo(quantity('1k')) == 0 && quantity('-1').sign() == -1", true],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });

  it('fails on a format clause without a value, per the failure policy', () => {
    expect(check("'%s %s'.format(['one']) != ''", deployment(3))).toEqual([
      expect.stringContaining('could not be evaluated (format: no value for clause 2)'),
    ]);
  });

  it('fails on a string that is not a quantity, per the failure policy', () => {
    expect(check("quantity(object.metadata.name) == quantity('1')", deployment(3))).toEqual([
      expect.stringContaining('could not be evaluated (not a quantity: web)'),
    ]);
  });
});

describe('the lists library', () => {
  it.each([
    ['[1, 2, 3].isSorted() && ![2, 1].isSorted()', true],
    ['[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0', true],
    ["[3, 1, 2].min() == 1 && ['b', 'c', 'a'].max() == 'c'", true],
    ["['a', 'b', 'a'].indexOf('a') == 0 && ['a', 'b', 'a'].lastIndexOf('a') == 2 && [1].indexOf(5) == -1", true],
    ['object.spec.template.spec.containers.map(c, c.name).isSorted()', true],
    ['[2, 1].isSorted()', false],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });
});

describe('the strings extension', () => {
  it.each([
    ["'tacocat'.charAt(3) == 'o' && 'tacocat'.indexOf('cat') == 4 && 'abcabc'.lastIndexOf('b') == 4", true],
    ["'TacoCat'.lowerAscii() == 'tacocat' && 'TacoCat'.upperAscii() == 'TACOCAT'", true],
    ["'a-b-c'.replace('-', '+') == 'a+b+c' && 'a-b-c'.replace('-', '+', 1) == 'a+b-c'", true],
    ["'a,b,c'.split(',') == ['a', 'b', 'c'] && ['a', 'b'].join('/') == 'a/b' && 'hello'.substring(1, 3) == 'el'", true],
    ["'  x  '.trim() == 'x' && object.metadata.name.charAt(0) == 'w'", true],
    ["'TacoCÆt'.lowerAscii() == 'tacocÆt' && 'tacoCαt'.upperAscii() == 'TACOCαT'", true],
    ['strings.quote(\'say "hi"\\n\') == \'"say \\\\"hi\\\\"\\\\n"\'', true],
    [
      "'%s has %d replicas, %.1f%% ready, %x'.format([object.metadata.name, object.spec.replicas, dyn(50.0), dyn(255)]) == 'web has 3 replicas, 50.0% ready, ff'",
      true,
    ],
    ["'%s'.format([[dyn(1), dyn('a'), dyn(null)]]) == '[1, a, null]' && '%b %o'.format([5, 8]) == '101 10'", true],
    ["object.metadata.name.upperAscii() == 'web'", false],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });
});

describe('standard CEL functions the library lacks', () => {
  it.each([
    ["int(42u) == 42 && int(timestamp('2009-02-13T23:31:30Z')) == 1234567890", true],
    ["string(duration('90s')) == '90s' && string(timestamp('2009-02-13T23:31:30Z')) == '2009-02-13T23:31:30Z'", true],
    ["!optional.ofNonZeroValue('').hasValue() && optional.ofNonZeroValue(object.spec.replicas).value() == 3", true],
    ['optional.ofNonZeroValue(object.spec.?paused.orValue(false)).hasValue()', false],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });
});

describe('optional helpers', () => {
  it.each([
    ['object.spec.?replicas.optMap(r, r * 2).orValue(0) == 6', true],
    ["object.metadata.?labels.optFlatMap(l, l.?app).orValue('') == 'web'", true],
    ['object.spec.?paused.optMap(p, !p).orValue(true)', true],
    ['object.spec.?replicas.optMap(r, r > 5).orValue(false)', false],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });
});

describe('two-variable comprehensions', () => {
  it.each([
    ['object.spec.template.spec.containers.all(i, c, i > 0 || c.name == "web")', true],
    ["object.metadata.labels.exists(key, value, key == 'app' && value == 'web')", true],
    ["object.metadata.labels.transformMap(key, value, value + '!') == {'app': 'web!'}", true],
    ['[5, 6, 7].transformList(i, v, i > 0, v * 2) == [12, 14] && [1, 2, 1].existsOne(i, v, v == 2)', true],
    ['object.spec.template.spec.containers.all(i, c, c.name == "other")', false],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });

  it('refuses a condition that is not a bool when the policy loads', () => {
    expect(() => check('[1, 2].all(i, v, v + 1)', deployment(3))).toThrow('all() needs a bool condition');
  });
});

describe('the regex library', () => {
  it.each([
    ["object.metadata.name.matches('^[a-z]+$')", true],
    ["'image: nginx:1.27'.find('[0-9.]+') == '1.27'", true],
    ["'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333'] && 'a1b22c333'.findAll('[0-9]+', 2).size() == 2", true],
    ["object.spec.template.spec.containers.all(c, c.image.matches(':latest$'))", false],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });
});

describe('the URL library', () => {
  it.each([
    ["url('https://example.com:8443/a/b?x=1&x=2').getScheme() == 'https'", true],
    [
      "url('https://example.com:8443/a/b').getHost() == 'example.com:8443' && url('https://example.com:8443/').getHostname() == 'example.com'",
      true,
    ],
    [
      "url('https://example.com:8443/a/b').getPort() == '8443' && url('https://example.com/a/b').getPath() == '/a/b'",
      true,
    ],
    [
      "url('https://e.com/?x=1&x=2').getQuery()['x'] == ['1', '2'] && url('/relative/path').getEscapedPath() == '/relative/path'",
      true,
    ],
    ["isURL('https://example.com') && !isURL('not a url')", true],
    ["url('http://example.com').getScheme() == 'https'", false],
  ])('%s is %s', (expression, expected) => {
    expect(check(expression, deployment(3))).toEqual(expected ? [] : denied);
  });
});
