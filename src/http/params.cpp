#include "http/params.h"
#include "core/json_guard.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "core/error.h"

namespace paperd::http {

using core::Error;

std::string_view param_type_name(ParamType t) {
  switch (t) {
    case ParamType::kString:
      return "string";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kNumber:
      return "number";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kObject:
      return "object";
    case ParamType::kArray:
      return "array";
    case ParamType::kFile:
      return "file";
    case ParamType::kAny:
      return "any";
  }
  return "any";
}

namespace {

std::optional<int64_t> parse_int(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::tolower);
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off" || s.empty()) return false;
  return std::nullopt;
}

}  // namespace

std::optional<Json> coerce(const Json& v, ParamType type) {
  switch (type) {
    case ParamType::kAny:
    case ParamType::kFile:
      return v;
    case ParamType::kString:
      if (v.is_string()) return v;
      if (v.is_number() || v.is_boolean()) return Json(v.dump());
      return std::nullopt;
    case ParamType::kInteger:
      if (v.is_number_integer()) return v;
      if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>())
        return Json(static_cast<int64_t>(v.get<double>()));
      if (v.is_string())
        if (auto i = parse_int(v.get<std::string>())) return Json(*i);
      return std::nullopt;
    case ParamType::kNumber:
      if (v.is_number()) return v;
      if (v.is_string())
        if (auto d = parse_double(v.get<std::string>())) return Json(*d);
      return std::nullopt;
    case ParamType::kBoolean:
      if (v.is_boolean()) return v;
      if (v.is_number_integer() && (v == 0 || v == 1)) return Json(v == 1);
      if (v.is_string())
        if (auto b = parse_bool(v.get<std::string>())) return Json(*b);
      return std::nullopt;
    case ParamType::kObject:
    case ParamType::kArray: {
      Json parsed = v;
      if (v.is_string()) {
        parsed = core::parse_untrusted_json(v.get<std::string>(), {}, "a JSON-valued field");
        // A plain string where an array is expected is a one-element array (?urls=https://...).
        if (parsed.is_discarded())
          return type == ParamType::kArray ? std::optional<Json>(Json::array({v})) : std::nullopt;
      }
      if (type == ParamType::kObject ? parsed.is_object() : parsed.is_array()) return parsed;
      // A single value where an array is expected becomes a one-element array.
      if (type == ParamType::kArray) return Json::array({v});
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool Params::has(std::string_view name) const {
  auto it = values_.find(name);
  return it != values_.end() && !it->is_null();
}

std::optional<std::string> Params::opt_str(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  auto v = coerce(values_.at(std::string(name)), ParamType::kString);
  if (!v) throw Error::invalid_request("field '" + std::string(name) + "' must be a string");
  return v->get<std::string>();
}

std::string Params::str(std::string_view name, std::string_view fallback) const {
  auto v = opt_str(name);
  return v ? *v : std::string(fallback);
}

std::string Params::require_str(std::string_view name) const {
  auto v = opt_str(name);
  if (!v || v->empty())
    throw Error::invalid_request("field '" + std::string(name) + "' is required");
  return *v;
}

std::optional<int64_t> Params::opt_integer(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  auto v = coerce(values_.at(std::string(name)), ParamType::kInteger);
  if (!v) throw Error::invalid_request("field '" + std::string(name) + "' must be an integer");
  return v->get<int64_t>();
}

int64_t Params::integer(std::string_view name, int64_t fallback) const {
  auto v = opt_integer(name);
  return v ? *v : fallback;
}

double Params::number(std::string_view name, double fallback) const {
  if (!has(name)) return fallback;
  auto v = coerce(values_.at(std::string(name)), ParamType::kNumber);
  if (!v) throw Error::invalid_request("field '" + std::string(name) + "' must be a number");
  return v->get<double>();
}

bool Params::boolean(std::string_view name, bool fallback) const {
  if (!has(name)) return fallback;
  auto v = coerce(values_.at(std::string(name)), ParamType::kBoolean);
  if (!v) throw Error::invalid_request("field '" + std::string(name) + "' must be true or false");
  return v->get<bool>();
}

void Params::apply_schema(const std::vector<Param>& schema,
                          const std::vector<std::string>& file_fields) {
  for (const Param& p : schema) {
    if (p.type == ParamType::kFile) {
      bool present = std::find(file_fields.begin(), file_fields.end(), p.name) != file_fields.end();
      if (p.required && !present)
        throw Error::invalid_request("file field '" + p.name + "' is required");
      continue;
    }
    if (!has(p.name)) {
      if (p.required) throw Error::invalid_request("field '" + p.name + "' is required");
      if (!p.default_value.is_null()) values_[p.name] = p.default_value;
      continue;
    }
    auto v = coerce(values_[p.name], p.type);
    if (!v)
      throw Error::invalid_request("field '" + p.name + "' must be " +
                                   (p.type == ParamType::kInteger ? "an " : "a ") +
                                   std::string(param_type_name(p.type)));
    if (!p.enum_values.empty()) {
      std::string s = v->is_string() ? v->get<std::string>() : v->dump();
      if (std::find(p.enum_values.begin(), p.enum_values.end(), s) == p.enum_values.end()) {
        std::string allowed;
        for (const auto& e : p.enum_values) allowed += (allowed.empty() ? "" : ", ") + e;
        throw Error::invalid_request("field '" + p.name + "' must be one of: " + allowed);
      }
    }
    if (v->is_number()) {
      double d = v->get<double>();
      if ((p.minimum && d < *p.minimum) || (p.maximum && d > *p.maximum))
        throw Error::invalid_request(
            fmt::format("field '{}' must be between {} and {}", p.name,
                        p.minimum ? fmt::format("{:g}", *p.minimum) : "-inf",
                        p.maximum ? fmt::format("{:g}", *p.maximum) : "inf"));
    }
    values_[p.name] = std::move(*v);
  }
}

}  // namespace paperd::http
