// The CEL environment of a ValidatingAdmissionPolicy, on @marcbachmann/cel-js: its
// variables, optionals, standard functions the library lacks, and the Kubernetes
// libraries (strings, lists, regex, quantity, URL). Built once, when the first CEL
// rule compiles.
import type { Environment } from '@marcbachmann/cel-js';
import { KernelEnvironment } from './kernel-environment.js';
import { registerComparisons } from './library-comparisons.js';
import { registerFormat } from './library-format.js';
import { registerLists } from './library-lists.js';
import { registerOptionalMacros } from './library-optionals.js';
import { registerQuantity } from './library-quantity.js';
import { registerRegex } from './library-regex.js';
import { registerStandard } from './library-standard.js';
import { registerStrings } from './library-strings.js';
import { registerTwoVariable } from './library-two-variable.js';
import { registerUrl } from './library-url.js';

/** What an expression may name; `variables` holds the rule's own variables by name. */
export const celVariableNames = ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables'] as const;

/** Parse-time limits: what a person writes is far below them; a generated monster is refused. */
const limits = { maxAstNodes: 1000, maxDepth: 48, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 8 };

let shared: Environment | undefined;

export function celEnvironment(): Environment {
  shared ??= buildEnvironment();
  return shared;
}

function buildEnvironment(): Environment {
  // Kubernetes turns on homogeneous aggregate literals and optionals (cel.OptionalTypes).
  let environment: Environment = new KernelEnvironment({
    limits,
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: true,
  });
  for (const name of celVariableNames) environment = environment.registerVariable(name, 'dyn');
  return registerKubernetesLibraries(environment);
}

/**
 * Adds the Kubernetes CEL libraries to an environment (the conformance test uses it too),
 * in a copy that parses CEL syntax the library's lexer lacks (kernel-environment.ts).
 */
export function registerKubernetesLibraries(base: Environment): Environment {
  const environment = base instanceof KernelEnvironment ? base : new KernelEnvironment(undefined, base);
  return registerUrl(
    registerQuantity(
      registerRegex(
        registerLists(
          registerFormat(
            registerStrings(
              registerStandard(registerTwoVariable(registerOptionalMacros(registerComparisons(environment)))),
            ),
          ),
        ),
      ),
    ),
  );
}
