// The user's search syntax turned into an FTS5 expression: every word and phrase is quoted (so no
// character of the user's text is FTS5 syntax), a trailing '*' becomes a prefix match, OR / NOT /
// AND stay operators, a leading '-' excludes.
#include "core/error.h"
#include "services/dms/fulltext.h"

namespace paperd::services::dms {

namespace {

core::Error bad(std::string_view query, const std::string& why) {
  return {400, "INVALID_QUERY", "search query '" + std::string(query) + "': " + why};
}

std::string quote(std::string_view word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '"')
      out += "\"\"";
    else
      out += c;
  }
  return out + "\"";
}

bool has_word_char(std::string_view s) {
  for (unsigned char c : s)
    if (std::isalnum(c) || c >= 0x80) return true;
  return false;
}

}  // namespace

std::vector<QueryTerm> parse_query(std::string_view q) {
  std::vector<QueryTerm> terms;
  size_t i = 0;
  while (i < q.size()) {
    unsigned char c = static_cast<unsigned char>(q[i]);
    if (std::isspace(c) || c == '(' || c == ')') {
      ++i;
      continue;
    }
    bool negate = false;
    if (c == '-' && i + 1 < q.size() && !std::isspace(static_cast<unsigned char>(q[i + 1]))) {
      negate = true;
      ++i;
    }
    if (q[i] == '"') {
      size_t end = q.find('"', i + 1);
      if (end == std::string_view::npos) throw bad(q, "a quoted phrase is not closed");
      std::string_view phrase = q.substr(i + 1, end - i - 1);
      i = end + 1;
      if (has_word_char(phrase)) terms.push_back({.text = std::string(phrase), .negated = negate});
      continue;
    }
    size_t end = i;
    while (end < q.size() && !std::isspace(static_cast<unsigned char>(q[end])) && q[end] != '(' &&
           q[end] != ')' && q[end] != '"')
      ++end;
    std::string_view word = q.substr(i, end - i);
    i = end;
    if (!negate && (word == "AND" || word == "OR" || word == "NOT")) {
      terms.push_back({.text = std::string(word), .op = true});
      continue;
    }
    bool prefix = word.ends_with('*');
    while (word.ends_with('*')) word.remove_suffix(1);
    if (has_word_char(word))
      terms.push_back({.text = std::string(word), .prefix = prefix, .negated = negate});
  }
  return terms;
}

bool has_search_syntax(std::string_view query) {
  if (query.find('"') != std::string_view::npos) return true;
  try {
    for (const auto& t : parse_query(query))
      if (t.op || t.prefix || t.negated) return true;
  } catch (const core::Error&) {
    return true;
  }
  return false;
}

std::string any_of_query(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words)
    if (!w.empty() && w.find('"') == std::string::npos)
      q += (q.empty() ? "\"" : " OR \"") + w + "\"";
  return q;
}

std::string to_fts5_query(std::string_view q) {
  struct Term {
    std::string text;  // quoted term, or an operator
    bool op = false;
  };
  std::vector<Term> terms;
  for (const QueryTerm& t : parse_query(q)) {
    if (t.op) {
      terms.push_back({t.text, true});
      continue;
    }
    if (t.negated) terms.push_back({"NOT", true});
    terms.push_back({quote(t.text) + (t.prefix ? "*" : ""), false});
  }
  // Drop operators that have nothing to join; a query of exclusions alone cannot be answered.
  std::string out;
  bool need_operand = true;  // at the start, or after an operator
  std::string pending;
  for (auto& t : terms) {
    if (t.op) {
      if (!need_operand) {
        pending = t.text;
        need_operand = true;
      } else if (t.text == "NOT" && out.empty()) {
        throw bad(q, "it must name something to find before excluding words with NOT or '-'");
      }
      continue;
    }
    if (!out.empty()) out += " " + (pending.empty() ? std::string("AND") : pending) + " ";
    out += t.text;
    pending.clear();
    need_operand = false;
  }
  if (out.empty()) throw bad(q, "it has no word to search for");
  return out;
}

}  // namespace paperd::services::dms
