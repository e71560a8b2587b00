// The variable schema of a document template and the check of a request's variables against it.
// Two spellings are accepted: JSON-Schema-like {"type":"object","properties":{name:{type,...}},
// "required":[...]}, and the short {name:{"type":"string","required":true}} (a bare type name
// {name:"string"} works too). Per variable: type (string, number, integer, boolean, array,
// object, or a list of them; none = any), required, enum, default, description.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"

namespace paperd::engines::generate {

struct VariableSpec {
  std::string name;
  std::vector<std::string> types;  // empty: any type
  bool required = false;
  Json enum_values = nullptr;  // an array, or null
  Json default_value = nullptr;
  std::string description;
};

// Reads either spelling ({} or null: no variables declared). Throws 400 INVALID_REQUEST naming
// the variable and what is wrong with its declaration.
std::vector<VariableSpec> parse_variable_schema(const Json& schema);

struct VariableProblem {
  std::string variable;
  std::string kind;  // "missing" | "type" | "enum"
  std::string message;
};

// Every problem of variables (a JSON object) against the schema, in schema order. A required
// variable that is absent or null, and has no default, is missing.
std::vector<VariableProblem> validate_variables(const Json& schema, const Json& variables);

// variables with the schema's defaults filled in where a variable is absent or null.
Json with_defaults(const Json& schema, const Json& variables);

}  // namespace paperd::engines::generate
