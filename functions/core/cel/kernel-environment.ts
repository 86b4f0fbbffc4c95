// The library's Environment with the CEL syntax its parser lacks (cel-source.ts,
// cel-source-entries.ts): each
// expression is written in syntax the library has before it parses, and quoted field
// names are put back into the parsed tree, so the checker, the cost estimate and the
// runtime budget see `x.content-type` as a field named "content-type". Copies
// (`clone`) keep this. Expressions without such syntax parse exactly as before.
import { Environment } from '@marcbachmann/cel-js';
import { argsOf, childrenOf, rootOf } from './cel-ast.js';
import { toLibrarySyntax } from './cel-source.js';
import { toOptionalEntryCalls } from './cel-source-entries.js';

type Options = ConstructorParameters<typeof Environment>[0];
// Trust boundary: the library's constructor takes the environment to copy as a second
// argument (lib/evaluator.js, `clone`); its published type lists only the options.
const LibraryEnvironment = Environment as unknown as new (options?: Options, inherited?: Environment) => Environment;

export class KernelEnvironment extends LibraryEnvironment {
  override clone(options?: Options): Environment {
    return new KernelEnvironment(options, this);
  }

  override parse(expression: string): ReturnType<Environment['parse']> {
    const { text, quotedFields } = toLibrarySyntax(expression);
    const program = super.parse(toOptionalEntryCalls(text));
    if (quotedFields.size > 0) restoreQuotedFields(program, quotedFields);
    return program;
  }

  override check(expression: string): ReturnType<Environment['check']> {
    try {
      return this.parse(expression).check();
    } catch (error) {
      // Trust boundary: the library's check reports a parse error the same way.
      return { valid: false, error } as ReturnType<Environment['check']>;
    }
  }

  override evaluate(expression: string, context?: Parameters<Environment['evaluate']>[1]): unknown {
    return this.parse(expression)(context);
  }
}

function restoreQuotedFields(program: ReturnType<Environment['parse']>, names: ReadonlyMap<string, string>): void {
  const pending = [rootOf(program)];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const field = (node.op === '.' || node.op === '.?') && Array.isArray(node.args) ? argsOf(node)[1] : undefined;
    const name = typeof field === 'string' ? names.get(field) : undefined;
    if (name !== undefined && Array.isArray(node.args)) node.args[1] = name;
    pending.push(...childrenOf(node));
  }
}
