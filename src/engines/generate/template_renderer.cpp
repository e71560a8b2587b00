// The bound is computed from the template's pieces: text and variable tags, each at its section
// depth. A piece at depth d runs at most L^d times (L the longest list in the variables: a
// section over anything but a list runs once), and a variable writes at most the longest value
// stored under its name, six times over when escaped (" → &quot;).
#include "engines/generate/template_renderer.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "core/error.h"

namespace paperd::engines::generate {

namespace {

namespace mu = kainjow::mustache;
using core::Error;

// Numbers print as JSON writes them (42, 3.5); null is falsy and prints nothing.
mu::data to_data(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      mu::data out{mu::data::type::object};
      for (const auto& [k, item] : v.items()) out.set(k, to_data(item));
      return out;
    }
    case Json::value_t::array: {
      mu::data out{mu::data::type::list};
      for (const auto& item : v) out.push_back(to_data(item));
      return out;
    }
    case Json::value_t::string:
      return mu::data(v.get<std::string>());
    case Json::value_t::boolean:
      return mu::data(v.get<bool>());
    case Json::value_t::null:
    case Json::value_t::discarded:
      return mu::data(false);
    default:
      return mu::data(v.dump());
  }
}

// What the variables can contribute: the longest list, and the longest printable value under
// each key ("" holds the longest of all, for {{.}} and names the map lacks a key for).
struct VariableSizes {
  size_t longest_list = 0;
  std::map<std::string, size_t, std::less<>> longest_value;
};

void measure(const Json& v, const std::string& key, VariableSizes& sizes) {
  if (v.is_array()) sizes.longest_list = std::max(sizes.longest_list, v.size());
  if (v.is_object()) {
    for (const auto& [k, item] : v.items()) measure(item, k, sizes);
  } else if (v.is_array()) {
    for (const auto& item : v) measure(item, key, sizes);
  } else if (v.is_string() || v.is_number()) {
    size_t n = v.is_string() ? v.get_ref<const std::string&>().size() : v.dump().size();
    for (const std::string& k : {key, std::string()})
      sizes.longest_value[k] = std::max(sizes.longest_value[k], n);
  }
}

size_t longest_for(const VariableSizes& sizes, std::string_view name) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  name = trim(name);
  if (name == ".") name = "";
  if (auto dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
  auto it = sizes.longest_value.find(name);
  return it == sizes.longest_value.end() ? 0 : it->second;
}

struct Bound {
  int depth = 0;      // deepest section nesting
  double output = 0;  // bytes, at most
};

// Walks the template's tags with the default delimiters, as kainjow parses them. An unterminated
// tag ends the walk; kainjow then reports it.
Bound bound_of(std::string_view html, const VariableSizes& sizes) {
  Bound b;
  int depth = 0;
  double runs = 1, lists = static_cast<double>(std::max<size_t>(sizes.longest_list, 1));
  size_t pos = 0;
  while (pos < html.size()) {
    size_t open = html.find("{{", pos);
    b.output +=
        runs * static_cast<double>((open == std::string_view::npos ? html.size() : open) - pos);
    if (open == std::string_view::npos) break;
    bool triple = html.substr(open).starts_with("{{{");
    size_t close = html.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
    if (close == std::string_view::npos) break;
    std::string_view tag = html.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
    pos = close + (triple ? 3 : 2);
    while (!tag.empty() && std::isspace(static_cast<unsigned char>(tag.front())))
      tag.remove_prefix(1);
    char sigil = triple || tag.empty() ? '\0' : tag.front();
    switch (sigil) {
      case '=':
        throw Error::invalid_request(
            "template: set-delimiter tags ({{=<% %>=}}) are not supported");
      case '>':
        throw Error::invalid_request("template: partials ({{> name}}) are not supported");
      case '#':
      case '^':
        b.depth = std::max(b.depth, ++depth);
        runs = std::pow(lists, depth);
        break;
      case '/':
        depth = std::max(0, depth - 1);
        runs = std::pow(lists, depth);
        break;
      case '!':
        break;
      case '&':
        b.output += runs * static_cast<double>(longest_for(sizes, tag.substr(1)));
        break;
      default:
        b.output += runs * static_cast<double>(longest_for(sizes, tag)) * (triple ? 1 : 6);
    }
  }
  return b;
}

std::string megabytes(double bytes) {
  return std::to_string(static_cast<int64_t>(bytes / (1 << 20)));
}

void check_nesting(const Bound& bound, const RenderLimits& limits) {
  if (bound.depth > limits.max_depth)
    throw Error::invalid_request("template: sections are nested " + std::to_string(bound.depth) +
                                 " deep; at most " + std::to_string(limits.max_depth));
}

}  // namespace

void check_template(std::string_view html, const RenderLimits& limits) {
  check_nesting(bound_of(html, {}), limits);
  mu::mustache tmpl{std::string(html)};
  if (!tmpl.is_valid()) throw Error::invalid_request("template: " + tmpl.error_message());
}

std::string render_template(std::string_view html, const Json& variables,
                            const RenderLimits& limits) {
  if (!variables.is_null() && !variables.is_object())
    throw Error::invalid_request("template variables must be a JSON object");
  VariableSizes sizes;
  measure(variables, "", sizes);
  Bound bound = bound_of(html, sizes);
  check_nesting(bound, limits);
  if (std::pow(static_cast<double>(std::max<size_t>(sizes.longest_list, 1)), bound.depth) >
      limits.max_iterations)
    throw Error::invalid_request("template: " + std::to_string(bound.depth) +
                                 " nested sections over lists of up to " +
                                 std::to_string(sizes.longest_list) +
                                 " items are too much work; nest fewer sections or send shorter "
                                 "lists");
  if (bound.output > limits.max_output)
    throw Error::input_too_large("the template could write up to " + megabytes(bound.output) +
                                     " MB with these variables; at most " +
                                     megabytes(limits.max_output) + " MB",
                                 400);

  mu::mustache tmpl{std::string(html)};
  if (!tmpl.is_valid()) throw Error::invalid_request("template: " + tmpl.error_message());
  mu::data data = variables.is_object() ? to_data(variables) : mu::data{mu::data::type::object};
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) throw Error::invalid_request("template: " + tmpl.error_message());
  return out;
}

}  // namespace paperd::engines::generate
