// npm run policy:precompile -- FILE...: writes FILE's precompiled policy beside it
// (policy.yaml: policy.precompiled.json), for a policy the function app reads through
// POLICY_FILE. npm run package:function-app does this for the policy.yaml it ships.
// Run it again whenever FILE changes: until then the function app reads the YAML, and
// logs that the precompiled policy is out of date.
import { parseArgs } from 'node:util';
import { writePrecompiledPolicy } from './precompile-policy.js';

const { positionals } = parseArgs({ allowPositionals: true, strict: true });
if (positionals.length === 0) {
  console.error('usage: npm run policy:precompile -- FILE...');
  process.exit(2);
}
for (const file of positionals) {
  try {
    console.log(`${file}: wrote ${await writePrecompiledPolicy(file)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
