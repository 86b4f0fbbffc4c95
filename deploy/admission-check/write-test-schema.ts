// npm run admission-test:schema: writes the JSON Schema of admission-check's test files, for
// editors (yaml-language-server: $schema=...), from the zod schema the CLI parses them
// with. Committed beside its source and shipped in the CLI package.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTestSuiteJsonSchema } from './test-suite-schema.js';

// This module runs from dist/deploy/admission-check/; the schema is committed beside its source.
const schemaFile = fileURLToPath(
  new URL('../../../deploy/admission-check/admission-test.schema.json', import.meta.url),
);
writeFileSync(schemaFile, renderTestSuiteJsonSchema());
console.log(`wrote ${schemaFile}`);
