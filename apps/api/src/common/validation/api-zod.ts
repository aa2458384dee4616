import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z, type ZodObject, type ZodType } from 'zod';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Documents a request body in OpenAPI from the same shared schema that validates it. */
export function ApiZodBody(schema: ZodType): MethodDecorator {
  return ApiBody({ schema: jsonSchema(schema) as never });
}

/** Documents query parameters from a shared object schema. */
export function ApiZodQuery(schema: ZodObject): MethodDecorator {
  const props = (jsonSchema(schema).properties ?? {}) as Record<string, JsonSchema>;
  return applyDecorators(...Object.entries(props).map(([name, s]) => ApiQuery({ name, required: false, schema: s as never })));
}
