// Query expansion from installed thesauri: synonyms and direct hypernyms of one word, weighted
// below the literal term (kSynonymWeight, kHypernymWeight), for search to OR into a query.
// English from WordNet (libwordnet) and MyThes' en_US data, German, French and Spanish from MyThes
// (OpenThesaurus and others). The data is loaded lazily once per process; every function is
// thread-safe (WordNet's C library and each MyThes file handle are used under their own mutex).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace paperd::engines::thesaurus {

inline constexpr double kSynonymWeight = 0.5, kHypernymWeight = 0.3;

struct Expansion {
  std::string term;      // UTF-8, lower-case; one word (multi-word entries are skipped)
  double weight = 0;     // kSynonymWeight or kHypernymWeight
  std::string relation;  // "synonym" | "hypernym"
  std::string language;  // "de" | "en" | "fr" | "es"
};

// Languages with data on this machine (files found), e.g. {"de","en","es","fr"}.
std::vector<std::string> languages();

// Expansions of one word (any case; UTF-8) in one language, strongest first, deduplicated,
// never the word itself, at most max. Unknown language or word: empty. Synonyms come before
// hypernyms; within each, earlier (more frequent) senses first. Antonyms are never returned.
std::vector<Expansion> expand(std::string_view language, std::string_view word, size_t max = 8);

}  // namespace paperd::engines::thesaurus
