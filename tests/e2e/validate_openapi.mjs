// Validates an OpenAPI document (file path or URL) with @apidevtools/swagger-parser: schema and
// spec rules (unique operationIds, declared path parameters, resolvable $refs).
// Usage: node validate_openapi.mjs <file-or-url>
// Prints one JSON line: {valid, openapi, paths, operations} or {valid:false, error}.
import SwaggerParser from "@apidevtools/swagger-parser";

const target = process.argv[2];
if (!target) {
  console.error("usage: node validate_openapi.mjs <file-or-url>");
  process.exit(2);
}
const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
try {
  // The server under test is on loopback, which the HTTP resolver refuses by default.
  const api = await SwaggerParser.validate(target, { resolve: { http: { safeUrlResolver: false } } });
  // swagger-parser checks only the schema of 3.x documents; add the spec rules it checks for 2.0.
  let operations = 0;
  const ids = new Set();
  const problems = [];
  for (const [path, item] of Object.entries(api.paths ?? {})) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      if (!methods.has(method)) continue;
      operations++;
      if (ids.has(op.operationId)) problems.push(`duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      const declared = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      for (const name of templated)
        if (!declared.includes(name)) problems.push(`${method} ${path}: path parameter ${name} not declared`);
      for (const name of declared)
        if (!templated.includes(name)) problems.push(`${method} ${path}: parameter ${name} is not in the path`);
    }
  }
  if (problems.length) throw new Error(problems.join("; "));
  console.log(
    JSON.stringify({
      valid: true,
      openapi: api.openapi,
      paths: Object.keys(api.paths ?? {}).length,
      operations,
    }),
  );
} catch (err) {
  console.log(JSON.stringify({ valid: false, error: String(err?.message ?? err) }));
  process.exit(1);
}
