// npm run policy:schema: writes the policy file's JSON Schema, for editors
// (yaml-language-server: $schema=...), from the zod schema the function app uses.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPolicyJsonSchema } from '../../functions/core/index.js';

// This module runs from dist/deploy/policy-schema/; the schema is committed beside its source.
const schemaFile = fileURLToPath(new URL('../../../deploy/policy-schema/policy.schema.json', import.meta.url));
writeFileSync(schemaFile, renderPolicyJsonSchema());
console.log(`wrote ${schemaFile}`);
