// Mustache templates over JSON variables (kainjow/mustache): {{name}} is HTML-escaped,
// {{{name}}} and {{& name}} are inserted raw, sections iterate arrays and test truthiness.
// A template from a client is bounded before it runs: the render's work (section nesting against
// the longest list in the variables) and the most it could write are computed from the template
// and the variables, and refused above the limits. Partials and set-delimiter tags are refused:
// a partial would let a variable's value be parsed as a template. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/json.h"

namespace paperd::engines::generate {

struct RenderLimits {
  double max_output = 16 << 20;  // bytes the render could write, at most
  int max_depth = 16;            // nested sections
  double max_iterations = 1e6;   // (longest list) ^ (section nesting)
};

// Renders html with variables (a JSON object; null for none). Throws 400 INVALID_REQUEST for a
// template that does not parse (with the parser's message), uses a partial or set-delimiter tag,
// or would do too much work, and 400 INPUT_TOO_LARGE when it could write more than max_output.
std::string render_template(std::string_view html, const Json& variables,
                            const RenderLimits& limits = {});

// The checks of render_template that need no variables (parse, refused tags, nesting), for a
// template being saved.
void check_template(std::string_view html, const RenderLimits& limits = {});

}  // namespace paperd::engines::generate
