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

std::vector<std::string> QueryExpansion::alternatives() const {
  std::vector<std::string> all;
  if (empty()) return all;
  std::set<std::string> seen;
  for (const auto& w : words) {
    if (seen.insert(w.word).second) all.push_back(w.word);
    for (const auto& t : w.terms)
      if (seen.insert(t.text).second) all.push_back(t.text);
  }
  return all;
}

std::string QueryExpansion::fulltext_query(const std::vector<int64_t>& chunks,
                                           int64_t max_chunks) const {
  std::vector<std::string> all = alternatives();
  std::vector<size_t> order;
  for (size_t i = 0; i < all.size() && i < chunks.size(); ++i)
    if (chunks[i] > 0) order.push_back(i);  // a term no chunk holds adds nothing
  std::stable_sort(order.begin(), order.end(),
                   [&chunks](size_t a, size_t b) { return chunks[a] < chunks[b]; });
  std::vector<bool> keep(all.size(), false);
  int64_t used = 0;
  for (size_t i : order) {
    if (used + chunks[i] > max_chunks) break;
    used += chunks[i];
    keep[i] = true;
  }
  std::vector<std::string> kept;
  for (size_t i = 0; i < all.size(); ++i)
    if (keep[i]) kept.push_back(all[i]);
  return any_of_query(kept);
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
  store::FtsTerms& fts = store::FtsTerms::of_this_thread();
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
