// Schema reading and the per-variable checks.
#include "engines/generate/variable_schema.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"

namespace paperd::engines::generate {

namespace {

using core::Error;

const std::set<std::string> kTypes = {"string", "number", "integer", "boolean", "array", "object"};

// {"type":"object", ...} or anything with a "properties" object is the JSON-Schema spelling.
bool is_json_schema(const Json& schema) {
  return (schema.contains("properties") && schema["properties"].is_object()) ||
         (schema.contains("type") && schema["type"] == "object");
}

std::vector<std::string> read_types(const std::string& name, const Json& type) {
  std::vector<std::string> out;
  auto add = [&](const Json& t) {
    if (!t.is_string())
      throw Error::invalid_request("variable schema: the type of '" + name + "' must be a string");
    std::string s = t.get<std::string>();
    if (s == "null" || s == "any") return;  // null is always allowed where a value is optional
    if (!kTypes.contains(s))
      throw Error::invalid_request("variable schema: '" + name + "' has type '" + s +
                                   "'; use string, number, integer, boolean, array or object");
    out.push_back(s);
  };
  if (type.is_array())
    for (const auto& t : type) add(t);
  else if (!type.is_null())
    add(type);
  return out;
}

VariableSpec read_spec(const std::string& name, const Json& decl, bool required) {
  if (name.empty()) throw Error::invalid_request("variable schema: a variable has an empty name");
  VariableSpec spec;
  spec.name = name;
  spec.required = required;
  if (decl.is_string()) {
    spec.types = read_types(name, decl);
    return spec;
  }
  if (!decl.is_object())
    throw Error::invalid_request("variable schema: '" + name +
                                 "' must be declared as an object, e.g. {\"type\":\"string\"}");
  if (decl.contains("type")) spec.types = read_types(name, decl["type"]);
  if (decl.contains("required") && decl["required"].is_boolean())
    spec.required = spec.required || decl["required"].get<bool>();
  if (decl.contains("enum")) {
    if (!decl["enum"].is_array() || decl["enum"].empty())
      throw Error::invalid_request("variable schema: the enum of '" + name +
                                   "' must be a non-empty array");
    spec.enum_values = decl["enum"];
  }
  if (decl.contains("default")) spec.default_value = decl["default"];
  if (decl.contains("description") && decl["description"].is_string())
    spec.description = decl["description"].get<std::string>();
  return spec;
}

bool has_type(const Json& v, const std::string& type) {
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer")
    return v.is_number_integer() ||
           (v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>());
  if (type == "boolean") return v.is_boolean();
  if (type == "array") return v.is_array();
  return v.is_object();
}

std::string joined(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

std::vector<VariableSpec> parse_variable_schema(const Json& schema) {
  if (schema.is_null()) return {};
  std::vector<VariableSpec> out;
  if (schema.is_array()) {  // [{name, type, required}, ...]
    for (const auto& decl : schema) {
      if (!decl.is_object() || !decl.contains("name") || !decl["name"].is_string())
        throw Error::invalid_request("variable schema: each entry of the list needs a 'name'");
      out.push_back(read_spec(decl["name"].get<std::string>(), decl, false));
    }
    return out;
  }
  if (!schema.is_object()) throw Error::invalid_request("variable schema must be a JSON object");
  if (!is_json_schema(schema)) {
    for (const auto& [name, decl] : schema.items()) out.push_back(read_spec(name, decl, false));
    return out;
  }
  std::set<std::string> required;
  if (schema.contains("required")) {
    if (!schema["required"].is_array())
      throw Error::invalid_request("variable schema: 'required' must be an array of names");
    for (const auto& r : schema["required"])
      if (r.is_string()) required.insert(r.get<std::string>());
  }
  const Json properties = schema.value("properties", Json::object());
  if (!properties.is_object())
    throw Error::invalid_request("variable schema: 'properties' must be an object");
  for (const auto& [name, decl] : properties.items())
    out.push_back(read_spec(name, decl, required.contains(name)));
  for (const auto& r : required)
    if (!properties.contains(r)) out.push_back(read_spec(r, Json::object(), true));
  return out;
}

std::vector<VariableProblem> validate_variables(const Json& schema, const Json& variables) {
  std::vector<VariableProblem> out;
  const Json empty = Json::object();
  const Json& vars = variables.is_object() ? variables : empty;
  for (const auto& spec : parse_variable_schema(schema)) {
    auto it = vars.find(spec.name);
    if (it == vars.end() || it->is_null()) {
      if (spec.required && spec.default_value.is_null())
        out.push_back({spec.name, "missing", "variable '" + spec.name + "' is required"});
      continue;
    }
    if (!spec.types.empty() &&
        std::none_of(spec.types.begin(), spec.types.end(),
                     [&](const std::string& t) { return has_type(*it, t); })) {
      out.push_back({spec.name, "type",
                     "variable '" + spec.name + "' must be " + joined(spec.types, " or ") +
                         ", not " + std::string(it->type_name())});
      continue;
    }
    if (spec.enum_values.is_array() &&
        std::find(spec.enum_values.begin(), spec.enum_values.end(), *it) == spec.enum_values.end())
      out.push_back({spec.name, "enum",
                     "variable '" + spec.name + "' must be one of " + spec.enum_values.dump()});
  }
  return out;
}

Json with_defaults(const Json& schema, const Json& variables) {
  Json out = variables.is_object() ? variables : Json::object();
  for (const auto& spec : parse_variable_schema(schema))
    if (!spec.default_value.is_null() && (!out.contains(spec.name) || out[spec.name].is_null()))
      out[spec.name] = spec.default_value;
  return out;
}

}  // namespace paperd::engines::generate
