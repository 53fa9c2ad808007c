// Writes the config schema (protocol/src/config-schema.ts) as the JSON Schema file
// that package.json's contributes.jsonValidation points at.
import { writeFileSync } from 'node:fs';
import { configSchema, toJsonSchema } from '../protocol/src/index.js';

export const SCHEMA_FILE = 'media/schemas/netcam.schema.json';

export function schemaFileText(): string {
  return `${JSON.stringify(toJsonSchema(configSchema), null, 2)}\n`;
}

export function generateSchemaFile(): void {
  writeFileSync(SCHEMA_FILE, schemaFileText());
}
