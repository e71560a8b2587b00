#include "services/dms/query_expansion.h"

#include <algorithm>
#include <set>

#include "engines/thesaurus/thesaurus.h"
#include "services/dms/fulltext.h"
#include "store/fts_tokenizer.h"

namespace paperd::services::dms {

bool QueryExpansion::empty() const {
  return std::all_of(words.begin(), words.end(),
                     [](const ExpandedWord& w) { return w.terms.empty(); });
}

std::string QueryExpansion::fulltext_query() const {
  if (empty()) return "";
  std::vector<std::string> all;
  for (const auto& w : words) {
    all.push_back(w.word);
    for (const auto& t : w.terms) all.push_back(t.text);
  }
  return any_of_query(all);
}

Json QueryExpansion::to_json() const {
  Json out = Json::object();
  for (const auto& w : words) {
    if (w.terms.empty()) continue;
    Json list = Json::array();
    for (const auto& t : w.terms)
      list.push_back({{"term", t.text},
                      {"weight", t.weight},
                      {"relation", t.relation},
                      {"language", t.language}});
    out[w.word] = list;
  }
  return out;
}

QueryExpansion expand_query(const std::string& query, const std::string& language,
                            size_t per_word) {
  QueryExpansion out;
  if (has_search_syntax(query)) return out;
  std::vector<std::string> languages =
      language.empty() ? engines::thesaurus::languages() : std::vector<std::string>{language};
  store::FtsTerms fts;
  std::set<std::string> seen_words;
  for (const auto& token : fts.tokens(query, true)) {
    ExpandedWord w{query.substr(token.start, token.end - token.start), {}};
    if (w.word.size() < 3 || !seen_words.insert(w.word).second) continue;
    // The strongest terms of every language first (round robin), without repeats.
    std::vector<std::vector<engines::thesaurus::Expansion>> per_language;
    for (const auto& lang : languages)
      per_language.push_back(engines::thesaurus::expand(lang, w.word, per_word));
    std::set<std::string> seen = {w.word};
    for (size_t i = 0; w.terms.size() < per_word; ++i) {
      bool any = false;
      for (const auto& list : per_language) {
        if (i >= list.size() || w.terms.size() >= per_word) continue;
        any = true;
        const auto& e = list[i];
        if (seen.insert(e.term).second)
          w.terms.push_back({e.term, e.weight, e.relation, e.language});
      }
      if (!any) break;
    }
    std::stable_sort(w.terms.begin(), w.terms.end(),
                     [](const ExpandedWord::Term& a, const ExpandedWord::Term& b) {
                       return a.weight > b.weight;
                     });
    out.words.push_back(std::move(w));
  }
  return out;
}

}  // namespace paperd::services::dms
