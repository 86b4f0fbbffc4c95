// npm run policy:schema: writes the policy file's JSON Schema, for editors
// (yaml-language-server: $schema=...), from the zod schema the function app uses.
import { writeFileSync } from 'node:fs';
import { policyJsonSchemaFile, renderPolicyJsonSchema } from './policy-json-schema.js';

writeFileSync(policyJsonSchemaFile, renderPolicyJsonSchema());
console.log(`wrote ${policyJsonSchemaFile}`);
