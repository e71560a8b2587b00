#include "engines/thesaurus/thesaurus.h"

#include <fcntl.h>
#include <iconv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdio_ext.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <wn.h>
#include <cstdio>  // mythes.hxx uses FILE without including it
#include <mythes.hxx>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace paperd::engines::thesaurus {

namespace {

namespace fs = std::filesystem;

constexpr const char* kMythesDir = "/usr/share/mythes";
constexpr const char* kWordNetDir = "/usr/share/wordnet";  // libwordnet's default; WNSEARCHDIR wins

// Candidates of one source in rank order, already one lower-case word each.
struct Ranked {
  std::vector<std::string> synonyms, hypernyms;
};

std::string lower(std::string_view s) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())))
      .toLower(icu::Locale::getRoot())
      .toUTF8String(out);
  return out;
}

// "rechnung" → "Rechnung": headwords are lower-case in the installed .idx files, but a
// thesaurus may list German nouns capitalised.
std::string capitalised(std::string_view lower_word) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(lower_word.data(), static_cast<int32_t>(lower_word.size())));
  if (u.isEmpty()) return {};
  UChar32 first = u.char32At(0);
  u.replace(0, U16_LENGTH(first), icu::UnicodeString(u_toupper(first)));
  std::string out;
  u.toUTF8String(out);
  return out;
}

// A single word, lower-cased, or nothing for phrases ("motor vehicle", WordNet's "motor_vehicle"),
// abbreviations with dots ("Dr."), fragments ("auto...") and empty text.
std::optional<std::string> one_word(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  bool letter = false;
  for (unsigned char c : text) {
    if (c >= 0x80 || std::isalpha(c)) {
      letter = true;
    } else if (!std::isdigit(c) && c != '-' && c != '\'') {
      return std::nullopt;
    }
  }
  if (!letter || text.front() == '-' || text.back() == '-') return std::nullopt;
  return lower(text);
}

enum class Kind { kSynonym, kHypernym, kDropped };

// MyThes entries carry their relation in parentheses: "Fahrzeug (Oberbegriff)",
// "motor vehicle (generic term)", "sell (antonym)"; other notes ("(ugs.)", "(Hauptform)") are
// register or usage and do not change the relation. Returns the text outside parentheses.
Kind classify(std::string_view entry, std::string& text) {
  Kind kind = Kind::kSynonym;
  text.clear();
  size_t depth = 0, note_start = 0;
  for (size_t i = 0; i < entry.size(); ++i) {
    char c = entry[i];
    if (c == '(') {
      if (depth++ == 0) note_start = i + 1;
    } else if (c == ')' && depth > 0) {
      if (--depth > 0) continue;
      std::string note = lower(entry.substr(note_start, i - note_start));
      if (note == "generic term" || note == "oberbegriff") {
        if (kind == Kind::kSynonym) kind = Kind::kHypernym;
      } else if (note == "similar term" || note == "related term" || note == "antonym") {
        kind = Kind::kDropped;
      }
    } else if (depth == 0) {
      text += c;
    }
  }
  return kind;
}

// iconv between a thesaurus' 8-bit encoding and UTF-8; one conversion at a time.
class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // Nothing when the text has characters the target cannot hold.
  std::optional<std::string> convert(std::string_view in) {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    std::string out(in.size() * 4 + 4, '\0');
    char* src = const_cast<char*>(in.data());
    char* dst = out.data();
    size_t src_left = in.size(), dst_left = out.size();
    if (iconv(cd_, &src, &src_left, &dst, &dst_left) == static_cast<size_t>(-1))
      return std::nullopt;
    out.resize(out.size() - dst_left);
    return out;
  }

 private:
  iconv_t cd_;
};

// One MyThes .idx/.dat pair. MyThes reads its .dat through one FILE*, so lookups are serialised.
class MythesFile {
 public:
  static std::unique_ptr<MythesFile> open(const fs::path& idx, const fs::path& dat) {
    std::error_code ec;
    if (!fs::is_regular_file(idx, ec) || !fs::is_regular_file(dat, ec)) return nullptr;
    auto file = std::unique_ptr<MythesFile>(new MythesFile(idx, dat));
    const char* encoding = file->th_.get_th_encoding();
    std::string enc = lower(encoding ? encoding : "");
    if (enc != "utf-8" && enc != "utf8") {
      file->to_native_ = std::make_unique<Iconv>(enc.c_str(), "UTF-8");
      file->to_utf8_ = std::make_unique<Iconv>("UTF-8", enc.c_str());
      if (!file->to_native_->ok() || !file->to_utf8_->ok()) return nullptr;
    }
    return file;
  }

  // The entries of headword (UTF-8, exact case) in sense order; empty when it is not a headword.
  Ranked lookup(const std::string& headword) {
    Ranked out;
    std::lock_guard lock(mu_);
    std::optional<std::string> native = to_native_ ? to_native_->convert(headword) : headword;
    if (!native || native->empty()) return out;
    mentry* meanings = nullptr;
    int n = th_.Lookup(native->c_str(), static_cast<int>(native->size()), &meanings);
    std::string text;
    for (int m = 0; m < n; ++m) {
      for (int s = 0; s < meanings[m].count; ++s) {
        std::optional<std::string> entry =
            to_utf8_ ? to_utf8_->convert(meanings[m].psyns[s]) : meanings[m].psyns[s];
        if (!entry) continue;
        Kind kind = classify(*entry, text);
        if (kind == Kind::kDropped) continue;
        std::optional<std::string> word = one_word(text);
        if (!word) continue;
        (kind == Kind::kHypernym ? out.hypernyms : out.synonyms).push_back(std::move(*word));
      }
    }
    if (n > 0) th_.CleanUpAfterLookup(&meanings, n);
    return out;
  }

 private:
  MythesFile(const fs::path& idx, const fs::path& dat) : th_(idx.c_str(), dat.c_str()) {}

  std::mutex mu_;
  MyThes th_;
  std::unique_ptr<Iconv> to_native_, to_utf8_;  // null for UTF-8 data
};

fs::path wordnet_dir() {
  const char* env = std::getenv("WNSEARCHDIR");
  return env && *env ? fs::path(env) : fs::path(kWordNetDir);
}

// A read-only mapping of a whole file, readable as a FILE* (fmemopen) for libwordnet.
class MappedFile {
 public:
  explicit MappedFile(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = p;
        size_ = static_cast<size_t>(st.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) ::munmap(data_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Mode "r" never writes through the buffer. A small stdio buffer of our own (setvbuf without
  // one keeps the default 8 KiB, copied out of the mapping at every seek), since every read
  // follows a seek (WordNet's binary search). One stream per mapping.
  FILE* open_stream() {
    if (!data_) return nullptr;
    FILE* f = fmemopen(data_, size_, "r");
    if (!f) return nullptr;
    setvbuf(f, buffer_.data(), _IOFBF, buffer_.size());
    // Only ever used under WordNet's mutex: no stdio lock per getc.
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    return f;
  }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
  std::array<char, 256> buffer_{};
};

struct SynsetDeleter {
  void operator()(Synset* s) const { free_synset(s); }
};
struct IndexDeleter {
  void operator()(Index* i) const { free_index(i); }
};

// One sense: a synset of one part of speech, by its byte offset in that part's data file.
struct SenseRef {
  int pos = 0;
  long offset = 0;
};

// WordNet 3.0 through libwordnet, whose search functions share global state (open files, static
// buffers): one call at a time, in the process' one instance.
class WordNet {
 public:
  // Null when the database is missing.
  static WordNet* get() {
    static WordNet* instance = [] {
      static WordNet wn;
      return wn.ok_ ? &wn : nullptr;
    }();
    return instance;
  }

  // The senses of word (lower-case) and of its base forms ("bought" → "buy"; those with senses go
  // to base_forms), ranked round-robin over the parts of speech, the part with more senses first,
  // so sense 1 of every part comes before any sense 2. Reads the index files only: a synset is
  // read when a caller asks for it (read), which most lookups stop short of.
  std::vector<SenseRef> senses(const std::string& word, std::vector<std::string>& base_forms) {
    std::vector<std::vector<SenseRef>> parts;
    if (word.size() >= kLongestWord) return {};
    std::lock_guard lock(mu_);
    for (int pos : {NOUN, VERB, ADJ, ADV}) {
      std::vector<SenseRef> part;
      for (const std::string& form : forms_of(word, pos)) {
        size_t before = part.size();
        add_senses(form, pos, part);
        if (part.size() > before && form != word &&
            std::find(base_forms.begin(), base_forms.end(), form) == base_forms.end())
          base_forms.push_back(form);
      }
      if (!part.empty()) parts.push_back(std::move(part));
    }
    std::stable_sort(parts.begin(), parts.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    std::vector<SenseRef> out;
    size_t ranks = parts.empty() ? 0 : parts.front().size();
    for (size_t r = 0; r < ranks; ++r) {
      for (const auto& part : parts)
        if (r < part.size()) out.push_back(part[r]);
    }
    return out;
  }

  struct Sense {
    std::vector<std::string> words;
    std::vector<SenseRef> hypernyms;  // direct and instance hypernyms
  };

  // A synset's single words and its hypernyms' synsets.
  Sense read(SenseRef ref) {
    Sense sense;
    std::lock_guard lock(mu_);
    std::unique_ptr<Synset, SynsetDeleter> s(read_one(ref));
    if (!s) return sense;
    sense.words = words_of(s.get());
    for (int i = 0; i < s->ptrcount; ++i) {
      if (s->ptrtyp[i] == HYPERPTR || s->ptrtyp[i] == INSTANCE)
        sense.hypernyms.push_back({s->ppos[i], s->ptroff[i]});
    }
    return sense;
  }

  std::vector<std::string> words(SenseRef ref) {
    std::lock_guard lock(mu_);
    std::unique_ptr<Synset, SynsetDeleter> s(read_one(ref));
    return s ? words_of(s.get()) : std::vector<std::string>{};
  }

 private:
  WordNet() {
    std::error_code ec;
    ok_ = fs::is_regular_file(wordnet_dir() / "index.noun", ec) && wninit() == 0;
    if (!ok_) return;
    read_from_memory();
    read_exceptions();
  }

  // morph.c's detachment rules per part of speech (suffix → ending), in its order.
  using Rule = std::pair<const char*, const char*>;
  static const std::vector<Rule>& rules(int pos) {
    static const std::array<std::vector<Rule>, ADV + 1> kRules = {{
        {},
        {{"s", ""},
         {"ses", "s"},
         {"xes", "x"},
         {"zes", "z"},
         {"ches", "ch"},
         {"shes", "sh"},
         {"men", "man"},
         {"ies", "y"}},
        {{"s", ""},
         {"ies", "y"},
         {"es", "e"},
         {"es", ""},
         {"ed", "e"},
         {"ed", ""},
         {"ing", "e"},
         {"ing", ""}},
        {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
        {},
    }};
    return kRules[pos];
  }
  // libwordnet copies words into 256-byte buffers; no lemma comes near.
  static constexpr size_t kLongestWord = 200;

  // The word and its base forms in one part of speech, in libwordnet's morphstr order.
  std::vector<std::string> forms_of(const std::string& word, int pos) const {
    std::vector<std::string> forms{word};
    auto add = [&](const std::string& m) {
      if (std::find(forms.begin(), forms.end(), m) == forms.end()) forms.push_back(m);
    };
    if (auto bases = plain_bases(word, pos)) {
      for (const std::string& m : *bases) add(m);
      return forms;
    }
    std::vector<char> buf(word.begin(), word.end());
    buf.push_back('\0');
    for (char* m = morphstr(buf.data(), pos); m; m = morphstr(nullptr, pos)) add(m);
    return forms;
  }

  // morph.c's morphstr for a word without '-' (so one part, no spelling variants): its base
  // forms on the exception list, else the first suffix rule ("ies" → "y") giving a lemma of pos.
  // The same answer as morphstr, which checks each candidate with is_defined (that reads every
  // sense of a noun and its hypernyms twice, for inherited meronyms) and binary-searches the
  // exception files on disk: half of a cold lookup. Nothing for other words (morphstr's job).
  std::optional<std::vector<std::string>> plain_bases(const std::string& word, int pos) const {
    if (word.find('-') != std::string::npos || word.size() >= kLongestWord) return std::nullopt;
    auto exc = exceptions_[pos].find(word);
    if (exc != exceptions_[pos].end()) {
      if (exc->second.empty()) return std::nullopt;  // listed twice: morphstr's pick
      if (exc->second.front() != word) return exc->second;
      return std::vector<std::string>{};  // morphword answers the word itself
    }
    if (pos == ADV) return std::vector<std::string>{};
    std::string stem = word, end;
    if (pos == NOUN) {
      if (ends_with(word, "ful")) {
        stem = word.substr(0, word.rfind('f'));
        end = "ful";
      } else if (ends_with(word, "ss") || word.size() <= 2) {
        return std::vector<std::string>{};
      }
    }
    for (const auto& [suffix, ending] : rules(pos)) {
      if (!ends_with(stem, suffix)) continue;
      std::string base = stem.substr(0, stem.size() - std::strlen(suffix)) + ending;
      if (base != stem && is_lemma(base, pos)) return std::vector<std::string>{base + end};
    }
    return std::vector<std::string>{};
  }

  // morph.c's strend: a proper suffix.
  static bool ends_with(const std::string& s, std::string_view suffix) {
    return suffix.size() < s.size() && s.ends_with(suffix);
  }

  static bool is_lemma(const std::string& word, int pos) {
    std::vector<char> buf(word.begin(), word.end());
    buf.push_back('\0');
    std::unique_ptr<Index, IndexDeleter> idx(index_lookup(buf.data(), pos));
    return idx != nullptr;
  }

  // <pos>.exc: inflected form → its base forms; an empty list for a form listed twice.
  void read_exceptions() {
    const char* parts[] = {nullptr, "noun", "verb", "adj", "adv"};
    for (int pos = NOUN; pos <= ADV; ++pos) {
      std::ifstream in(wordnet_dir() / (std::string(parts[pos]) + ".exc"));
      std::string line;
      while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string form, base;
        words >> form;
        std::vector<std::string> bases;
        while (words >> base) bases.push_back(base);
        if (form.empty() || bases.empty()) continue;
        auto [it, added] = exceptions_[pos].emplace(form, std::move(bases));
        if (!added) it->second.clear();
      }
    }
  }

  // The synsets of form's first index entry among getindex's spellings ("e-mail", "e_mail",
  // "email"), in sense order: the senses findtheinfo_ds(form, pos, SYNS, ALLSENSES) chains by
  // nextss (later spellings hang off nextform), without reading them.
  static void add_senses(const std::string& form, int pos, std::vector<SenseRef>& out) {
    std::vector<char> buf(form.begin(), form.end());
    buf.push_back('\0');
    bool first = true;
    for (char* search = buf.data();; search = nullptr) {
      std::unique_ptr<Index, IndexDeleter> idx(getindex(search, pos));  // every one is freed
      if (!idx) break;
      for (int i = 0; first && i < idx->off_cnt; ++i)
        out.push_back({pos, static_cast<long>(idx->offset[i])});
      if (idx->off_cnt > 0) first = false;
    }
  }

  static Synset* read_one(SenseRef ref) {
    char none[1] = "";
    return read_synset(ref.pos, ref.offset, none);
  }

  // libwordnet binary-searches its index.* and data.* files with fseek + fgets, a read(2) of
  // 4 KiB per step: about 1 ms per word. Its FILE* handles are public (wn.h), so they are swapped
  // for streams over mappings of the same files, which takes a word to a few hundred µs.
  void read_from_memory() {
    const char* parts[] = {nullptr, "noun", "verb", "adj", "adv"};
    for (int pos = NOUN; pos <= ADV; ++pos) {
      for (auto [prefix, fps] : {std::pair{"index.", indexfps}, {"data.", datafps}}) {
        auto& file = mapped_.emplace_back(
            std::make_unique<MappedFile>(wordnet_dir() / (std::string(prefix) + parts[pos])));
        if (FILE* f = file->open_stream()) {
          if (fps[pos]) std::fclose(fps[pos]);
          fps[pos] = f;
        }
      }
    }
  }

  // A synset's single words; '_' joins WordNet's multi-word lemmas, "(p)" marks adjective
  // position: both handled by one_word and classify.
  static std::vector<std::string> words_of(const Synset* s) {
    std::vector<std::string> out;
    std::string text;
    for (int i = 0; i < s->wcount; ++i) {
      classify(s->words[i], text);
      if (auto w = one_word(text)) out.push_back(std::move(*w));
    }
    return out;
  }

  std::mutex mu_;
  bool ok_ = false;
  std::vector<std::unique_ptr<MappedFile>> mapped_;  // outlive the streams libwordnet reads
  std::array<std::unordered_map<std::string, std::vector<std::string>>, ADV + 1> exceptions_;
};

// One language's MyThes file, opened at its first use.
class Language {
 public:
  Language(const char* code, const char* stem) : code_(code), stem_(stem) {}

  std::string_view code() const { return code_; }
  fs::path idx() const { return fs::path(kMythesDir) / (std::string(stem_) + ".idx"); }
  fs::path dat() const { return fs::path(kMythesDir) / (std::string(stem_) + ".dat"); }

  bool files_found() const {
    std::error_code ec;
    if (fs::is_regular_file(idx(), ec) && fs::is_regular_file(dat(), ec)) return true;
    return code_ == std::string_view("en") && fs::is_regular_file(wordnet_dir() / "index.noun", ec);
  }

  MythesFile* mythes() {
    std::call_once(once_, [this] { file_ = MythesFile::open(idx(), dat()); });
    return file_.get();
  }

 private:
  const char* code_;
  const char* stem_;
  std::once_flag once_;
  std::unique_ptr<MythesFile> file_;
};

std::array<Language, 4>& registry() {
  static std::array<Language, 4> languages{
      {{"de", "th_de_DE_v2"}, {"en", "th_en_US_v2"}, {"es", "th_es_ES_v2"}, {"fr", "th_fr_FR_v2"}}};
  return languages;
}

// Merges ranked candidates: first come, first kept, never a word in excluded.
class Collector {
 public:
  Collector(std::string_view language, size_t max) : language_(language), max_(max) {}

  void exclude(const std::string& word) { seen_.insert(word); }
  bool full() const { return out_.size() >= max_; }

  void add(const std::vector<std::string>& terms, const char* relation, double weight) {
    for (const std::string& term : terms) {
      if (full()) return;
      if (seen_.insert(term).second) out_.push_back({term, weight, relation, language_});
    }
  }

  std::vector<Expansion> take() { return std::move(out_); }

 private:
  std::string language_;
  size_t max_;
  std::unordered_set<std::string> seen_;
  std::vector<Expansion> out_;
};

std::vector<Expansion> compute(Language& lang, const std::string& word_lower, size_t max);

// Query terms repeat; a cold English answer costs WordNet tens of µs, a cached one well under
// one. An answer is computed as far as its caller asks (at least kLeast terms) and kept with that
// cap: it serves every caller asking for at most as many terms, or any number once it came out
// shorter than its cap (complete); a caller asking for more computes it again.
class Cache {
 public:
  static constexpr size_t kCapacity = 20000, kLeast = 8, kMost = 64;

  std::vector<Expansion> get(Language& lang, const std::string& word_lower, size_t max) {
    std::string key = std::string(lang.code()) + ':' + word_lower;
    {
      std::lock_guard lock(mu_);
      auto it = answers_.find(key);
      if (it != answers_.end() && it->second.serves(max)) return it->second.cut(max);
    }
    size_t cap = std::max(max, kLeast);
    Answer answer{compute(lang, word_lower, cap), cap};
    std::lock_guard lock(mu_);
    if (answers_.size() >= kCapacity) answers_.clear();
    return (answers_[key] = std::move(answer)).cut(max);
  }

 private:
  struct Answer {
    std::vector<Expansion> terms;
    size_t cap = 0;
    bool serves(size_t max) const { return max <= terms.size() || terms.size() < cap; }
    std::vector<Expansion> cut(size_t max) const {
      return {terms.begin(), terms.begin() + static_cast<ptrdiff_t>(std::min(max, terms.size()))};
    }
  };

  std::mutex mu_;
  std::unordered_map<std::string, Answer> answers_;
};

}  // namespace

std::vector<std::string> languages() {
  std::vector<std::string> out;
  for (const Language& language : registry()) {
    if (language.files_found()) out.emplace_back(language.code());
  }
  return out;
}

std::vector<Expansion> expand(std::string_view language, std::string_view word, size_t max) {
  auto& langs = registry();
  auto it = std::find_if(langs.begin(), langs.end(),
                         [&](const Language& l) { return l.code() == language; });
  std::string word_lower = lower(word);
  if (it == langs.end() || max == 0 || !one_word(word_lower)) return {};
  static Cache cache;
  if (max <= Cache::kMost) return cache.get(*it, word_lower, max);
  return compute(*it, word_lower, max);
}

namespace {

std::vector<Expansion> compute(Language& lang, const std::string& word_lower, size_t max) {
  std::string_view language = lang.code();
  Collector out(language, max);
  out.exclude(word_lower);
  std::vector<std::string> headwords{word_lower};
  WordNet* wordnet = language == "en" ? WordNet::get() : nullptr;
  std::vector<SenseRef> senses;
  if (wordnet) senses = wordnet->senses(word_lower, headwords);
  for (size_t i = 1; i < headwords.size(); ++i) out.exclude(headwords[i]);

  // English: WordNet synonyms, MyThes synonyms, WordNet hypernyms, MyThes hypernyms; each source
  // read only as far as the answer is not full.
  std::vector<std::vector<SenseRef>> hypernyms;
  for (const SenseRef& sense : senses) {
    if (out.full()) break;
    WordNet::Sense s = wordnet->read(sense);
    out.add(s.words, "synonym", kSynonymWeight);
    hypernyms.push_back(std::move(s.hypernyms));
  }
  std::vector<Ranked> thesaurus;
  if (MythesFile* mythes = out.full() ? nullptr : lang.mythes()) {
    for (const std::string& headword : headwords) {
      if (out.full()) break;
      Ranked r = mythes->lookup(headword);
      if (r.synonyms.empty() && r.hypernyms.empty()) {
        std::string upper = capitalised(headword);
        if (upper != headword) r = mythes->lookup(upper);
      }
      out.add(r.synonyms, "synonym", kSynonymWeight);
      thesaurus.push_back(std::move(r));
    }
  }
  for (const auto& refs : hypernyms) {
    for (const SenseRef& ref : refs) {
      if (out.full()) break;
      out.add(wordnet->words(ref), "hypernym", kHypernymWeight);
    }
  }
  for (const Ranked& r : thesaurus) out.add(r.hypernyms, "hypernym", kHypernymWeight);
  return out.take();
}

}  // namespace

}  // namespace paperd::engines::thesaurus
