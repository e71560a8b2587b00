// Query understanding without a neural model: each word of a plain query expanded with its
// synonyms and hypernyms (engines/thesaurus: WordNet and MyThes for English, MyThes/OpenThesaurus
// for German, French, Spanish), weighted below the literal words. The semantic side adds the
// expansions' vectors to the query's; hybrid adds a third ranking, full text over the words or
// their expansions, fused below the literal one. Queries with search syntax (quotes, prefix*,
// OR/NOT, -word) are taken literally.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"

namespace paperd::services::dms {

struct ExpandedWord {
  std::string word;  // as in the query
  struct Term {
    std::string text;
    double weight = 0;
    std::string relation, language;
  };
  std::vector<Term> terms;  // not the word itself
};

struct QueryExpansion {
  std::vector<ExpandedWord> words;  // empty for a query with search syntax
  bool empty() const;
  // Every word and its expansions, in order, without repeats ("" when nothing was expanded).
  std::vector<std::string> alternatives() const;
  // The full-text query "a" OR "b" OR ... over the alternatives that fit a budget of work:
  // chunks[i] is how many chunks alternative i can match (FulltextIndex::term_chunks), and the
  // rarest are taken first while their chunks add up to at most max_chunks. A common word adds
  // more rows to rank than signal (its idf is low); "" when none fits.
  std::string fulltext_query(const std::vector<int64_t>& chunks, int64_t max_chunks) const;
  // {word: [{term, weight, relation, language}]}, for answers.
  Json to_json() const;
};

// language: "de", "en", "fr", "es", or "" for every language whose thesaurus knows the word.
// At most per_word terms per word.
QueryExpansion expand_query(const std::string& query, const std::string& language,
                            size_t per_word = 6);

}  // namespace paperd::services::dms
