#include "engines/ocr/language.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_map>

#include "core/error.h"

namespace paperd::engines::ocr {

namespace {

struct LanguageInfo {
  const char* code;  // Tesseract
  const char* iso1;
  std::vector<const char*> aliases;  // ISO 639-1, 639-2/B, names, all lower case
};

const std::vector<LanguageInfo>& language_table() {
  static const std::vector<LanguageInfo> table = {
      {"eng", "en", {"en", "english", "englisch"}},
      {"deu", "de", {"de", "ger", "german", "deutsch"}},
      {"fra", "fr", {"fr", "fre", "french", "francais", "français", "französisch"}},
      {"spa", "es", {"es", "spanish", "espanol", "español", "spanisch"}},
      {"ita", "it", {"it", "italian", "italiano", "italienisch"}},
      {"por", "pt", {"pt", "portuguese", "portugues", "português", "portugiesisch"}},
      {"nld", "nl", {"nl", "dut", "dutch", "nederlands", "niederländisch"}},
      {"pol", "pl", {"pl", "polish"}},
      {"ces", "cs", {"cs", "cze", "czech"}},
      {"dan", "da", {"da", "danish"}},
      {"swe", "sv", {"sv", "swedish"}},
      {"nor", "no", {"no", "nb", "norwegian"}},
      {"fin", "fi", {"fi", "finnish"}},
      {"tur", "tr", {"tr", "turkish"}},
      {"rus", "ru", {"ru", "russian"}},
      {"ukr", "uk", {"uk", "ukrainian"}},
      {"ell", "el", {"el", "gre", "greek"}},
      {"hun", "hu", {"hu", "hungarian"}},
      {"ron", "ro", {"ro", "rum", "romanian"}},
      {"cat", "ca", {"ca", "catalan"}},
      {"hrv", "hr", {"hr", "croatian"}},
      {"slk", "sk", {"sk", "slo", "slovak"}},
      {"slv", "sl", {"sl", "slovenian"}},
      {"bul", "bg", {"bg", "bulgarian"}},
      {"ara", "ar", {"ar", "arabic"}},
      {"heb", "he", {"he", "hebrew"}},
      {"jpn", "ja", {"ja", "japanese"}},
      {"kor", "ko", {"ko", "korean"}},
      {"chi_sim", "zh", {"zh", "chi", "chinese", "zh_cn", "zh-cn"}},
      {"chi_tra", "zh-Hant", {"zh_tw", "zh-tw"}},
  };
  return table;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// de_DE, de-DE -> de; anything else unchanged.
std::string strip_region(const std::string& v) {
  auto cut = v.find_first_of("_-");
  if (cut == 2 && v.size() >= 4) return v.substr(0, 2);
  return v;
}

std::string map_one(const std::string& raw) {
  std::string v = lower(raw);
  for (const auto& l : language_table()) {
    if (v == l.code) return l.code;
    for (auto* a : l.aliases)
      if (v == a) return l.code;
  }
  std::string base = strip_region(v);
  for (const auto& l : language_table())
    for (auto* a : l.aliases)
      if (base == a) return l.code;
  return v;  // maybe an installed model we have no alias for (e.g. "frk", "lat")
}

// Frequent function words per language (lower case, UTF-8).
const std::map<std::string, std::vector<const char*>>& stopwords() {
  static const std::map<std::string, std::vector<const char*>> words = {
      {"eng", {"the",  "and",  "of",     "to",     "in",    "is",    "that",  "for",  "it",
               "with", "as",   "was",    "on",     "are",   "by",    "this",  "be",   "at",
               "from", "or",   "have",   "an",     "which", "not",   "but",   "will", "all",
               "were", "been", "has",    "their",  "more",  "would", "there", "can",  "our",
               "we",   "you",  "your",   "they",   "these", "any",   "about", "than", "into",
               "its",  "also", "should", "please", "thank", "of",    "who",   "what"}},
      {"deu", {"der",   "die",  "das",     "und",   "ist",    "nicht", "mit",    "den",   "von",
               "zu",    "sich", "des",     "auf",   "für",    "dem",   "ein",    "eine",  "einer",
               "eines", "im",   "auch",    "es",    "werden", "wird",  "sind",   "wurde", "bei",
               "als",   "nach", "aus",     "noch",  "wie",    "oder",  "aber",   "nur",   "über",
               "zum",   "zur",  "sie",     "wir",   "ihr",    "ihre",  "unsere", "bitte", "vielen",
               "dank",  "sehr", "geehrte", "haben", "hat",    "kann",  "können", "diese", "dieser",
               "durch", "um",   "vom",     "bis",   "mehr",   "ich"}},
      {"fra", {"le",    "la",    "les",  "de",   "des",   "du",    "et",    "est",  "un",   "une",
               "dans",  "pour",  "pas",  "que",  "qui",   "sur",   "au",    "aux",  "avec", "ce",
               "cette", "ces",   "sont", "par",  "plus",  "ne",    "se",    "nous", "vous", "leur",
               "été",   "être",  "mais", "ou",   "son",   "sa",    "ses",   "il",   "elle", "ont",
               "fait",  "comme", "tout", "très", "merci", "votre", "notre", "en",   "je"}},
      {"spa", {"el",      "la",      "los",   "las",     "de",     "del",   "y",       "en",
               "que",     "es",      "un",    "una",     "por",    "con",   "para",    "se",
               "no",      "al",      "lo",    "su",      "sus",    "como",  "más",     "pero",
               "este",    "esta",    "estos", "son",     "está",   "ha",    "han",     "fue",
               "sido",    "ser",     "muy",   "también", "entre",  "sobre", "gracias", "usted",
               "nuestro", "nuestra", "desde", "todos",   "cuando", "yo"}},
      {"ita",
       {"il",     "lo",     "la",     "gli",    "le",    "di",    "del",    "della",  "dei",
        "delle",  "e",      "è",      "che",    "un",    "una",   "per",    "non",    "con",
        "in",     "nel",    "nella",  "si",     "sono",  "ha",    "hanno",  "al",     "alla",
        "da",     "dal",    "come",   "più",    "ma",    "anche", "questo", "questa", "stato",
        "essere", "grazie", "vostro", "nostro", "degli", "sulla", "sul",    "io"}},
      {"por",
       {"o",     "a",     "os",    "as",   "de",   "do",   "da",     "dos",      "das",  "e",
        "é",     "que",   "um",    "uma",  "em",   "no",   "na",     "nos",      "nas",  "para",
        "com",   "não",   "por",   "se",   "ao",   "mais", "como",   "mas",      "foi",  "ser",
        "são",   "está",  "pelo",  "pela", "seu",  "sua",  "também", "obrigado", "você", "muito",
        "entre", "nosso", "nossa", "isso", "este", "esta", "eu"}},
      {"nld", {"de",   "het",   "een",    "en",    "van",    "is",   "dat",  "die",  "in",  "te",
               "zijn", "op",    "voor",   "met",   "niet",   "aan",  "er",   "ook",  "als", "bij",
               "door", "naar",  "om",     "wordt", "worden", "maar", "nog",  "dan",  "uit", "over",
               "hij",  "zij",   "wij",    "we",    "u",      "uw",   "onze", "deze", "dit", "tot",
               "kan",  "heeft", "hebben", "werd",  "geen",   "meer", "dank", "wel",  "ik"}},
  };
  return words;
}

// Letters that point at one language (or a few); a small bonus per occurrence.
const std::vector<std::pair<const char*, std::vector<const char*>>>& marker_letters() {
  static const std::vector<std::pair<const char*, std::vector<const char*>>> letters = {
      {"ß", {"deu"}},        {"ä", {"deu"}},        {"ö", {"deu"}}, {"ü", {"deu"}},
      {"ñ", {"spa"}},        {"¿", {"spa"}},        {"¡", {"spa"}}, {"ã", {"por"}},
      {"õ", {"por"}},        {"ç", {"fra", "por"}}, {"œ", {"fra"}}, {"ê", {"fra", "por"}},
      {"è", {"fra", "ita"}}, {"ì", {"ita"}},        {"ò", {"ita"}}, {"ij", {"nld"}},
  };
  return letters;
}

// Lower-cases ASCII and the Latin-1 capitals the word lists use (UTF-8 C3 80..9E -> +0x20).
std::string fold(std::string_view w) {
  std::string out;
  for (size_t i = 0; i < w.size(); ++i) {
    unsigned char c = w[i];
    if (c == 0xC3 && i + 1 < w.size() && static_cast<unsigned char>(w[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(w[i + 1]) <= 0x9E && w[i + 1] != '\x97') {
      out += static_cast<char>(c);
      out += static_cast<char>(w[++i] + 0x20);
    } else {
      out += static_cast<char>(std::tolower(c));
    }
  }
  return out;
}

std::vector<std::string> tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : text) {
    if (c >= 0x80 || std::isalpha(c))
      cur += static_cast<char>(c);
    else if (!cur.empty())
      out.push_back(fold(cur)), cur.clear();
  }
  if (!cur.empty()) out.push_back(fold(cur));
  return out;
}

}  // namespace

std::filesystem::path default_tessdata_dir() {
  if (const char* p = std::getenv("TESSDATA_PREFIX"); p && *p) {
    std::filesystem::path dir(p);
    if (std::filesystem::exists(dir / "tessdata")) return dir / "tessdata";
    return dir;
  }
  return "/usr/share/tesseract-ocr/5/tessdata";
}

std::vector<std::string> installed_languages(const std::filesystem::path& tessdata) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(tessdata, ec)) {
    if (e.path().extension() != ".traineddata") continue;
    std::string name = e.path().stem().string();
    if (name != "osd" && name != "equ") out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> split_languages(std::string_view set) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : set) {
    if (c == '+' || c == ',' || c == ' ' || c == ';') {
      if (!cur.empty()) out.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string resolve_languages(std::string_view requested,
                              const std::vector<std::string>& installed) {
  std::string v = lower(requested);
  if (v.empty() || v == "auto") return "";
  std::string list;
  for (auto& l : installed) list += (list.empty() ? "" : ", ") + l;
  std::vector<std::string> parts;
  for (const auto& raw : split_languages(requested)) {
    std::string code = map_one(raw);
    if (!std::binary_search(installed.begin(), installed.end(), code))
      throw core::Error::invalid_request(
          "OCR language '" + raw + "'" + (lower(raw) != code ? " (" + code + ")" : "") +
          " is not installed; installed: " + (list.empty() ? "none" : list));
    if (std::find(parts.begin(), parts.end(), code) == parts.end()) parts.push_back(code);
  }
  if (parts.empty())
    throw core::Error::invalid_request("OCR language '" + std::string(requested) +
                                       "' names no language; installed: " + list);
  std::string out;
  for (auto& p : parts) out += (out.empty() ? "" : "+") + p;
  return out;
}

const std::vector<std::string>& detectable_languages() {
  static const std::vector<std::string> langs = [] {
    std::vector<std::string> v;
    for (auto& [code, words] : stopwords()) v.push_back(code);
    return v;
  }();
  return langs;
}

LanguageGuess detect_language(std::string_view text, const std::vector<std::string>& candidates) {
  // word -> languages listing it
  static const std::unordered_map<std::string, std::vector<std::string>> index = [] {
    std::unordered_map<std::string, std::vector<std::string>> m;
    for (auto& [code, words] : stopwords())
      for (auto* w : words) {
        auto& v = m[w];
        if (std::find(v.begin(), v.end(), code) == v.end()) v.push_back(code);
      }
    return m;
  }();
  std::map<std::string, double> score;
  for (const auto& t : tokens(text)) {
    auto it = index.find(t);
    if (it == index.end()) continue;
    for (auto& code : it->second) score[code] += 1.0 / it->second.size();
  }
  for (auto& [letter, langs] : marker_letters()) {
    size_t n = 0;
    for (size_t pos = text.find(letter); pos != std::string_view::npos;
         pos = text.find(letter, pos + 1))
      ++n;
    for (auto* code : langs) score[code] += std::min<double>(n, 10) * 0.3 / langs.size();
  }
  auto allowed = [&](const std::string& code) {
    if (candidates.empty()) return true;
    for (auto& c : candidates)
      for (auto& part : split_languages(c))
        if (part == code) return true;
    return false;
  };
  double total = 0, best = 0;
  std::string best_code;
  for (auto& [code, s] : score) {
    total += s;
    if (allowed(code) && s > best) best = s, best_code = code;
  }
  if (best_code.empty() || total <= 0) return {};
  double evidence = std::min(1.0, best / 8.0);
  return {best_code, best / total * evidence};
}

std::string iso639_1(std::string_view tesseract_code) {
  for (const auto& l : language_table())
    if (tesseract_code == l.code) return l.iso1;
  return std::string(tesseract_code);
}

}  // namespace paperd::engines::ocr
