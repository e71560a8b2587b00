// The "paperd" tokenizer (fts_tokenizer.h). Each token unicode61 yields is passed on as it is,
// followed by its distinct stems as FTS5_TOKEN_COLOCATED tokens: same position, same offsets, so
// phrases, bm25's column lengths and snippet() still see one word. A query's colocated tokens are
// alternatives, so "invoices" (stem invoic) meets the indexed "invoice" (stem invoic). Prefix
// queries and the auxiliary functions (snippet, highlight) get the plain tokens only.
// German compounds are split only at index time: their parts become indexed words of their own,
// so a query for a part needs nothing special ("vertrag" is indexed with "versicherungsvertrag").
#include "store/fts_tokenizer.h"

#include <libstemmer.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"

namespace paperd::store {

namespace {

using core::Error;
using TokenCallback = int (*)(void*, int, const char*, int, int, int);

constexpr const char* kGermanWordList = "/usr/share/dict/ngerman";  // Debian's wngerman
constexpr size_t kMinCompoundLetters = 8, kMinPartLetters = 4, kMaxParts = 4;
constexpr size_t kMaxCompoundWords = 8;  // parts and the parts of parts, of one token
// Shorter words are left alone by every stemmer; longer ones are hashes, base64, garbage.
constexpr size_t kMinStemmedBytes = 3, kMaxStemmedBytes = 64;
// Distinct words of documents whose synonyms a tokenizer remembers (about 250 bytes each), emptied
// when full: text repeats its vocabulary, and four stemmers and a compound split cost ~20 times a
// lookup (profile of bench/search.sh's upload: libstemmer was a third of the server's CPU).
constexpr size_t kCachedWords = 4096;
constexpr std::array<std::string_view, 5> kLinkingElements = {"s", "es", "n", "en", "e"};
constexpr std::array<const char*, 4> kLanguages = {"english", "german", "french", "spanish"};
constexpr size_t kGerman = 1;  // index into kLanguages

size_t letters(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
bool starts_letter(std::string_view s, size_t i) {
  return (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}
bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct StemmerDelete {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using Stemmer = std::unique_ptr<sb_stemmer, StemmerDelete>;

Stemmer make_stemmer(const char* language) {
  Stemmer s(sb_stemmer_new(language, "UTF_8"));
  if (!s) throw Error::internal(std::string("libstemmer has no UTF-8 stemmer for ") + language);
  return s;
}

// Valid until the stemmer's next call.
std::string_view stem(sb_stemmer* s, std::string_view word) {
  const sb_symbol* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (!out) throw std::bad_alloc();
  return {reinterpret_cast<const char*>(out), static_cast<size_t>(sb_stemmer_length(s))};
}

// One instance of SQLite's unicode61 tokenizer, found through the connection's fts5_api.
class Unicode61 {
 public:
  Unicode61(fts5_api* api, const char** argv, int argc) {
    static const char* kDefault[] = {"remove_diacritics", "2"};
    if (argc == 0) {
      argv = kDefault;
      argc = 2;
    }
    void* user = nullptr;
    if (api->xFindTokenizer(api, "unicode61", &user, &api_) != SQLITE_OK)
      throw Error::internal("FTS5 has no unicode61 tokenizer");
    if (api_.xCreate(user, argv, argc, &instance_) != SQLITE_OK)
      throw Error::internal("the unicode61 tokenizer refused its arguments");
  }
  ~Unicode61() { api_.xDelete(instance_); }
  Unicode61(const Unicode61&) = delete;
  Unicode61& operator=(const Unicode61&) = delete;

  int tokenize(void* ctx, int flags, const char* text, int n, TokenCallback cb) {
    return api_.xTokenize(instance_, ctx, flags, text, n, cb);
  }

  // The word as the index sees it (lower case, diacritics folded); empty unless it is one token.
  std::string fold(std::string_view word) {
    struct Folded {
      std::string text;
      int tokens = 0;
    } out;
    tokenize(&out, FTS5_TOKENIZE_DOCUMENT, word.data(), static_cast<int>(word.size()),
             [](void* p, int, const char* t, int n, int, int) {
               auto& f = *static_cast<Folded*>(p);
               if (++f.tokens == 1) f.text.assign(t, n);
               return SQLITE_OK;
             });
    return out.tokens == 1 ? out.text : std::string();
  }

 private:
  fts5_tokenizer api_{};
  Fts5Tokenizer* instance_ = nullptr;
};

// The German word list folded like the index, words of kMinPartLetters letters or more, in one
// buffer with a hash set of views into it (about 20 MB for wngerman's 356,000 lines). Loaded once
// per process on first use and immutable after, so every connection's tokenizer shares it without
// locks. A missing list is an empty one: compounds are then not split.
class GermanWords {
 public:
  static const GermanWords& get(fts5_api* api) {
    static const GermanWords words(kGermanWordList, api);
    return words;
  }
  bool empty() const { return words_.empty(); }
  bool contains(std::string_view w) const { return words_.contains(w); }

 private:
  GermanWords(const char* path, fts5_api* api) {
    // An instance of its own: the caller's is in the middle of tokenizing.
    Unicode61 folder(api, nullptr, 0);
    std::ifstream in(path);
    std::vector<std::string> words;
    for (std::string line; std::getline(in, line);) {
      std::string w = folder.fold(line);
      if (letters(w) >= kMinPartLetters && !has_digit(w)) words.push_back(std::move(w));
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    size_t total = 0;
    for (auto& w : words) total += w.size();
    buffer_.reserve(total);
    for (auto& w : words) buffer_ += w;
    words_.reserve(words.size());
    size_t at = 0;
    for (auto& w : words) {
      words_.emplace(buffer_.data() + at, w.size());
      at += w.size();
    }
  }
  std::string buffer_;
  std::unordered_set<std::string_view> words_;  // a compound of 20 letters looks up ~30 heads
};

bool split_part(const GermanWords& dict, std::string_view w, size_t parts_left,
                std::vector<std::string_view>& out);

// Splits w into a known head and a rest that is a word or splits again, the longest head first,
// the parts joined directly or by a linking element (versicherung|s|vertrag). Leaves out as it
// was when no split covers all of w.
bool split_heads(const GermanWords& dict, std::string_view w, size_t parts_left,
                 std::vector<std::string_view>& out) {
  if (parts_left < 2) return false;
  for (size_t end = w.size() - 1; end > 0; --end) {
    if (!starts_letter(w, end)) continue;
    std::string_view head = w.substr(0, end), rest = w.substr(end);
    if (letters(rest) < kMinPartLetters) continue;
    if (letters(head) < kMinPartLetters) break;
    if (!dict.contains(head)) continue;
    out.push_back(head);
    if (split_part(dict, rest, parts_left - 1, out)) return true;
    for (std::string_view link : kLinkingElements)
      if (rest.starts_with(link) && split_part(dict, rest.substr(link.size()), parts_left - 1, out))
        return true;
    out.pop_back();
  }
  return false;
}

bool split_part(const GermanWords& dict, std::string_view w, size_t parts_left,
                std::vector<std::string_view>& out) {
  if (letters(w) < kMinPartLetters) return false;
  if (dict.contains(w)) {
    out.push_back(w);
    return true;
  }
  return split_heads(dict, w, parts_left, out);
}

class PaperdTokenizer {
 public:
  PaperdTokenizer(fts5_api* api, const char** argv, int argc)
      : api_(api), unicode61_(api, argv, argc) {
    for (size_t i = 0; i < kLanguages.size(); ++i) stemmers_[i] = make_stemmer(kLanguages[i]);
  }

  int tokenize(void* ctx, int flags, const char* text, int n, TokenCallback cb) {
    Call call{this, ctx, cb};
    call.stems = (flags & FTS5_TOKENIZE_PREFIX) == 0 &&
                 (flags & (FTS5_TOKENIZE_DOCUMENT | FTS5_TOKENIZE_QUERY)) != 0;
    call.compounds = (flags & FTS5_TOKENIZE_DOCUMENT) != 0;
    return unicode61_.tokenize(&call, flags, text, n, &PaperdTokenizer::on_token);
  }

 private:
  struct Call {
    PaperdTokenizer* self;
    void* ctx;
    TokenCallback cb;
    bool stems = false, compounds = false;
  };

  static int on_token(void* p, int tflags, const char* token, int n, int start, int end) {
    auto& call = *static_cast<Call*>(p);
    int rc = call.cb(call.ctx, tflags, token, n, start, end);
    if (rc != SQLITE_OK || !call.stems) return rc;
    try {
      const std::vector<std::string>& extra =
          call.self->synonyms_of({token, static_cast<size_t>(n)}, call.compounds);
      for (size_t i = 0; i < extra.size() && rc == SQLITE_OK; ++i)
        rc = call.cb(call.ctx, FTS5_TOKEN_COLOCATED, extra[i].data(),
                     static_cast<int>(extra[i].size()), start, end);
      return rc;
    } catch (const std::bad_alloc&) {
      return SQLITE_NOMEM;
    } catch (...) {
      return SQLITE_ERROR;
    }
  }

  // The token's distinct stems and, in a document, compound parts; valid until the next call.
  // A document's words are remembered (kCachedWords); a query's are few and computed each time.
  const std::vector<std::string>& synonyms_of(std::string_view token, bool compounds) {
    extra_.clear();
    if (token.size() < kMinStemmedBytes || token.size() > kMaxStemmedBytes || has_digit(token))
      return extra_;
    if (!compounds) {
      compute(token, false, extra_);
      return extra_;
    }
    key_.assign(token);
    if (auto it = cache_.find(key_); it != cache_.end()) return it->second;
    std::vector<std::string> words;
    compute(token, true, words);
    if (cache_.size() >= kCachedWords) cache_.clear();
    return cache_.emplace(key_, std::move(words)).first->second;
  }

  void compute(std::string_view token, bool compounds, std::vector<std::string>& out) {
    for (auto& s : stemmers_) add(stem(s.get(), token), token, out);
    if (!compounds || letters(token) < kMinCompoundLetters) return;
    const GermanWords& dict = GermanWords::get(api_);
    parts_.clear();
    if (dict.empty() || !split_heads(dict, token, kMaxParts, parts_)) return;
    // A part that is itself a compound and a word of the list is split again
    // (krankenversicherung|s|beitrag, then kranken|versicherung), so "versicherung" finds it.
    for (size_t i = 0; i < parts_.size() && parts_.size() < kMaxCompoundWords; ++i)
      if (letters(parts_[i]) >= kMinCompoundLetters)
        split_heads(dict, parts_[i], kMaxParts, parts_);
    for (std::string_view part : parts_) {
      add(part, token, out);
      add(stem(stemmers_[kGerman].get(), part), token, out);
    }
  }

  static void add(std::string_view word, std::string_view token, std::vector<std::string>& out) {
    if (word.empty() || word == token) return;
    if (std::find(out.begin(), out.end(), word) == out.end()) out.emplace_back(word);
  }

  fts5_api* api_;
  Unicode61 unicode61_;
  std::array<Stemmer, kLanguages.size()> stemmers_;
  std::vector<std::string> extra_;  // a query token's synonyms
  std::string key_;                 // the looked-up word, its capacity reused
  std::unordered_map<std::string, std::vector<std::string>> cache_;  // a document word's synonyms
  std::vector<std::string_view> parts_;
};

int create(void* api, const char** argv, int argc, Fts5Tokenizer** out) {
  try {
    auto t = std::make_unique<PaperdTokenizer>(static_cast<fts5_api*>(api), argv, argc);
    *out = reinterpret_cast<Fts5Tokenizer*>(t.release());  // FTS5 owns it now, until destroy()
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

void destroy(Fts5Tokenizer* t) {
  std::unique_ptr<PaperdTokenizer>(reinterpret_cast<PaperdTokenizer*>(t)).reset();
}

int tokenize(Fts5Tokenizer* t, void* ctx, int flags, const char* text, int n, TokenCallback cb) {
  return reinterpret_cast<PaperdTokenizer*>(t)->tokenize(ctx, flags, text, n, cb);
}

fts5_api* fts5_of(sqlite3* db) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &raw, nullptr) != SQLITE_OK)
    throw Error::internal(std::string("SQLite has no FTS5: ") + sqlite3_errmsg(db));
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, sqlite3_finalize);
  fts5_api* api = nullptr;
  sqlite3_bind_pointer(raw, 1, &api, "fts5_api_ptr", nullptr);
  sqlite3_step(raw);
  if (!api) throw Error::internal("SQLite has no FTS5 API");
  return api;
}

}  // namespace

struct FtsTerms::Impl {
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db{nullptr, sqlite3_close};
  std::unique_ptr<PaperdTokenizer> tokenizer;
};

FtsTerms::FtsTerms() : impl_(std::make_unique<Impl>()) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr);
  impl_->db.reset(raw);
  if (rc != SQLITE_OK) throw Error::internal("cannot open an in-memory SQLite database");
  impl_->tokenizer = std::make_unique<PaperdTokenizer>(fts5_of(raw), nullptr, 0);
}

FtsTerms::~FtsTerms() = default;

FtsTerms& FtsTerms::of_this_thread() {
  thread_local FtsTerms terms;
  return terms;
}

std::vector<FtsToken> FtsTerms::tokens(std::string_view text, bool for_query) {
  std::vector<FtsToken> out;
  int rc =
      impl_->tokenizer->tokenize(&out, for_query ? FTS5_TOKENIZE_QUERY : FTS5_TOKENIZE_DOCUMENT,
                                 text.data(), static_cast<int>(text.size()),
                                 [](void* p, int tflags, const char* t, int n, int start, int end) {
                                   auto& tokens = *static_cast<std::vector<FtsToken>*>(p);
                                   if ((tflags & FTS5_TOKEN_COLOCATED) && !tokens.empty())
                                     tokens.back().terms.emplace_back(t, static_cast<size_t>(n));
                                   else
                                     tokens.push_back({static_cast<size_t>(start),
                                                       static_cast<size_t>(end),
                                                       {std::string(t, static_cast<size_t>(n))}});
                                   return SQLITE_OK;
                                 });
  if (rc == SQLITE_NOMEM) throw std::bad_alloc();
  if (rc != SQLITE_OK) throw Error::internal("the full-text tokenizer failed");
  return out;
}

bool fts_matches(const FtsToken& query, const FtsToken& document, bool prefix) {
  if (query.terms.empty() || document.terms.empty()) return false;
  if (prefix) return document.terms[0].starts_with(query.terms[0]);
  for (const auto& q : query.terms)
    if (std::find(document.terms.begin(), document.terms.end(), q) != document.terms.end())
      return true;
  return false;
}

void register_fts_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_of(db);
  fts5_tokenizer t{create, destroy, tokenize};
  if (api->xCreateTokenizer(api, kFtsTokenizer, api, &t, nullptr) != SQLITE_OK)
    throw Error::internal(std::string("cannot register the FTS5 tokenizer: ") + sqlite3_errmsg(db));
}

}  // namespace paperd::store
