// One typed parameter map per request: path, query, form-urlencoded, multipart fields and a JSON
// body merged in that order of precedence (later wins). Declared parameters are coerced at merge
// time ("true" -> true, "12" -> 12); accessors coerce the rest and name the field when they fail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace paperd::http {

enum class ParamType { kString, kInteger, kNumber, kBoolean, kObject, kArray, kFile, kAny };
std::string_view param_type_name(ParamType t);

struct Param {
  std::string name;
  ParamType type = ParamType::kString;
  bool required = false;
  std::string description;
  Json default_value = nullptr;
  std::vector<std::string> enum_values;
  std::optional<double> minimum, maximum;
  Json example = nullptr;  // for generated docs and Postman bodies; else derived from the type
};

class Params {
 public:
  // Sets a raw value; strings from query/form arrive as strings, JSON values keep their type.
  void set(const std::string& name, Json value) { values_[name] = std::move(value); }
  bool has(std::string_view name) const;
  const Json& raw() const { return values_; }
  Json& raw() { return values_; }

  std::string str(std::string_view name, std::string_view fallback = "") const;
  std::optional<std::string> opt_str(std::string_view name) const;
  int64_t integer(std::string_view name, int64_t fallback) const;
  std::optional<int64_t> opt_integer(std::string_view name) const;
  double number(std::string_view name, double fallback) const;
  bool boolean(std::string_view name, bool fallback) const;
  std::string require_str(std::string_view name) const;

  // Coerces and checks declared parameters in place; fills defaults; throws
  // Error::invalid_request naming the first bad or missing field.
  void apply_schema(const std::vector<Param>& schema,
                    const std::vector<std::string>& file_fields = {});

 private:
  Json values_ = Json::object();
};

// Coerces one value to the type, or returns nullopt when it cannot.
std::optional<Json> coerce(const Json& value, ParamType type);

}  // namespace paperd::http
