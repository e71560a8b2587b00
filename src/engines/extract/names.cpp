// Company, person and postcode + city recognisers: capitalised words anchored by a legal form,
// an honorific or a postcode. Heuristics, documented in README.md; they prefer missing a name to
// swallowing the words of the sentence around it.
#include <algorithm>
#include <array>
#include <unordered_set>

#include "engines/extract/recognisers.h"

namespace paperd::engines::extract::detail {

namespace {

// A white-space separated token; [cb, ce) is its core without surrounding punctuation (a final
// '.' stays: "Co.", "Inc.", "e.V.").
struct Token {
  size_t b, e, cb, ce;
  bool lead = false;          // punctuation stripped before the core ("(Müller")
  bool trail = false;         // punctuation other than '.' stripped after it ("Müller,")
  bool break_before = false;  // a line break (or the start of the text) before the token
};

bool lead_punct(char32_t c) {
  return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0x201E || c == 0x201C ||
         c == 0x201A || c == 0x2018 || c == 0xAB || c == 0xBB || c == 0x2039 || c == 0x203A;
}

bool trail_punct(char32_t c) {
  return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == ',' || c == ';' ||
         c == ':' || c == '!' || c == '?' || c == 0x201C || c == 0x201D || c == 0x2019 ||
         c == 0xAB || c == 0xBB || c == 0x2039 || c == 0x203A;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  bool line_break = true;
  for (size_t i = 0; i < text.size();) {
    Cp c = cp_at(text, i);
    if (is_space(c.cp) || is_line_break(c.cp) || c.cp < 0x20) {
      line_break = line_break || is_line_break(c.cp);
      i += c.len;
      continue;
    }
    Token t;
    t.b = i;
    t.break_before = line_break;
    line_break = false;
    while (i < text.size()) {
      c = cp_at(text, i);
      if (is_space(c.cp) || is_line_break(c.cp) || c.cp < 0x20) break;
      i += c.len;
    }
    t.e = i;
    t.cb = t.b;
    t.ce = t.e;
    for (Cp l = cp_at(text, t.cb); t.cb < t.ce && lead_punct(l.cp); l = cp_at(text, t.cb)) {
      t.cb += l.len;
      t.lead = true;
    }
    for (Cp r = cp_before(text, t.ce); t.ce > t.cb && trail_punct(r.cp);
         r = cp_before(text, t.ce)) {
      t.ce -= r.len;
      t.trail = true;
    }
    if (t.cb < t.ce) out.push_back(t);
  }
  return out;
}

std::string_view core(std::string_view text, const Token& t) {
  return text.substr(t.cb, t.ce - t.cb);
}

// "(haftungsbeschränkt)": parentheses around the whole core, part of a legal form.
bool in_parentheses(std::string_view text, const Token& t) {
  return t.lead && t.trail && text[t.b] == '(' && text[t.e - 1] == ')';
}

std::string_view without_final(std::string_view w, char c) {
  return !w.empty() && w.back() == c ? w.substr(0, w.size() - 1) : w;
}

using Form = std::vector<std::string_view>;

// Longest first, so "GmbH & Co. KG" wins over "GmbH".
const std::vector<Form>& legal_forms() {
  static constexpr std::string_view kForms =
      "UG (haftungsbeschränkt) & Co. KG|GmbH & Co. KGaA|GmbH & Co. KG|GmbH & Co KG|GmbH & Co. OHG|"
      "AG & Co. KGaA|AG & Co. KG|SE & Co. KGaA|SE & Co. KG|UG (haftungsbeschränkt)|PartG mbB|"
      "e. K.|e. Kfm.|e. V.|S.à r.l.|gGmbH|GmbH|mbH|AG|KGaA|KG|OHG|GbR|PartG|UG|e.K.|e.Kfm.|SE|"
      "e.V.|Ltd.|Ltd|Limited|LLC|L.L.C.|Inc.|Inc|Corp.|Corp|Corporation|PLC|plc|LLP|S.A.|SA|"
      "S.A.R.L.|SARL|SAS|S.A.S.|S.L.|SL|S.L.U.|SLU|S.p.A.|SpA|S.r.l.|Srl|S.R.L.|B.V.|BV|N.V.|NV|"
      "Oy|Oyj|AB|A/S|ApS";
  static const std::vector<Form> kParsed = [] {
    std::vector<Form> forms;
    for (std::string_view f : split(kForms, '|')) {
      Form form;
      for (std::string_view part : split(f)) {
        // "(haftungsbeschränkt)" is matched by its core, like every token.
        if (part.size() > 2 && part.front() == '(' && part.back() == ')')
          part = part.substr(1, part.size() - 2);
        form.push_back(part);
      }
      forms.push_back(std::move(form));
    }
    std::stable_sort(forms.begin(), forms.end(),
                     [](const Form& a, const Form& b) { return a.size() > b.size(); });
    return forms;
  }();
  return kParsed;
}

// English forms after a comma: "Acme, Inc.".
bool comma_form(const Form& f) {
  static const std::unordered_set<std::string_view> kComma = {
      "Inc.", "Inc", "Ltd.", "Ltd", "LLC", "L.L.C.", "Corp.", "Corp", "LLP", "Limited", "PLC"};
  return f.size() == 1 && kComma.count(f[0]);
}

struct FormMatch {
  size_t tokens = 0;  // 0: none
  size_t end = 0;     // byte end of the form (a sentence's final '.' excluded)
  const Form* form = nullptr;
};

// The first words of all legal forms, with and without a sentence's final '.'.
const std::unordered_set<std::string_view>& form_starts() {
  static const std::unordered_set<std::string_view> kStarts = [] {
    std::unordered_set<std::string_view> starts;
    for (const Form& f : legal_forms()) starts.insert(f[0]);
    return starts;
  }();
  return kStarts;
}

FormMatch legal_form_at(std::string_view text, const std::vector<Token>& tokens, size_t i) {
  const std::string_view first = core(text, tokens[i]);
  if (!form_starts().count(first) && !form_starts().count(without_final(first, '.'))) return {};
  for (const Form& form : legal_forms()) {
    if (i + form.size() > tokens.size()) continue;
    bool ok = true;
    size_t end = 0;
    for (size_t k = 0; k < form.size() && ok; ++k) {
      const Token& t = tokens[i + k];
      std::string_view c = core(text, t);
      if (k > 0) {
        const Token& prev = tokens[i + k - 1];
        if (t.break_before || ((prev.trail || prev.lead) && !in_parentheses(text, prev)))
          ok = false;
      }
      const bool last = k + 1 == form.size();
      end = in_parentheses(text, t) ? t.e : t.ce;
      if (c == form[k]) continue;
      // "Müller AG." at the end of a sentence: the '.' is not part of the form.
      if (last && c.size() == form[k].size() + 1 && c.back() == '.' &&
          c.substr(0, form[k].size()) == form[k] && form[k].back() != '.') {
        end = t.ce - 1;
        continue;
      }
      ok = false;
    }
    if (ok) return {form.size(), end, &form};
  }
  return {};
}

bool is_legal_form_token(std::string_view text, const std::vector<Token>& tokens, size_t i) {
  return legal_form_at(text, tokens, i).tokens > 0;
}

// Capitalised words that start sentences, labels and address lines rather than names
// (compared lower-case). README.md explains the choice.
const std::unordered_set<std::string_view>& stop_words() {
  static constexpr std::string_view kList =
      "an to from von bei mit für for by with at on per via im in am auf vom zum zur of die der "
      "das dem den the a ein eine einer eines und and rechnung rechnungen rechnungsempfänger "
      "rechnungsadresse lieferadresse leistungsempfänger invoice bill billed billing ship "
      "shipping sold delivery lieferung lieferschein firma company kunde kundin kunden "
      "kundennummer customer client mandant lieferant supplier vendor absender empfänger sender "
      "recipient auftraggeber auftragnehmer käufer verkäufer buyer seller aussteller wir we our "
      "your ihre ihr ihren ihrem ihrer ihres sie ihnen unsere unser bitte please dank danke "
      "vielen thank thanks sehr dear liebe lieber hallo hello bonjour bonsoir cher chère merci "
      "betreff subject re angebot offer quote quotation auftrag order bestellung mahnung "
      "gutschrift vertrag contract zahlung payment bankverbindung datum date kontakt contact "
      "adresse address sitz registergericht amtsgericht geschäftsführer geschäftsführung "
      "vorstand inhaber seite page projekt project tel telefon fax e-mail email web nr no number "
      "nummer steuernummer ust-idnr ust-id vat tax iban bic herr herrn frau mr mrs ms les los "
      "las un une il het een";
  static const std::unordered_set<std::string_view> kStop = [] {
    const std::vector<std::string_view> words = split(kList);
    return std::unordered_set<std::string_view>(words.begin(), words.end());
  }();
  return kStop;
}

bool is_stop_word(std::string_view word) {
  const std::string lower = to_lower(without_final(word, '.'));
  return stop_words().count(lower) > 0;
}

bool first_upper(std::string_view w) {
  return is_upper(cp_at(w, 0).cp);
}

size_t letter_count(std::string_view w) {
  size_t n = 0;
  for (size_t i = 0; i < w.size();) {
    const Cp c = cp_at(w, i);
    n += is_letter(c.cp);
    i += c.len;
  }
  return n;
}

// "J." as in "J. P. Morgan".
bool is_initial(std::string_view w) {
  const Cp c = cp_at(w, 0);
  return is_upper(c.cp) && w.size() == c.len + 1 && w.back() == '.';
}

const std::unordered_set<std::string_view>& dotted_abbreviations() {
  static const std::unordered_set<std::string_view> kAbbr = {
      "Co.", "Dr.", "St.", "Gebr.", "Bros.", "Int.", "Intl.", "Ing.", "Mfg.", "Jr.", "Sr."};
  return kAbbr;
}

// A word of a company name: capitalised (or starting with a digit and holding a letter or '&'),
// of letters, digits and & - ' ’ . + only; a final '.' only for abbreviations and initials
// (otherwise it ends a sentence).
bool company_word(std::string_view w) {
  const Cp first = cp_at(w, 0);
  bool letter = false, amp = false;
  for (size_t i = 0; i < w.size();) {
    const Cp c = cp_at(w, i);
    if (is_letter(c.cp)) {
      letter = true;
    } else if (c.cp == '&') {
      amp = true;
    } else if (!is_digit(c.cp) && c.cp != '-' && c.cp != '\'' && c.cp != 0x2019 && c.cp != '.' &&
               c.cp != '+') {
      return false;
    }
    i += c.len;
  }
  if (!(is_upper(first.cp) || (is_digit(first.cp) && (letter || amp)))) return false;
  if (w.back() == '.' && !dotted_abbreviations().count(w) && !is_initial(w) &&
      w.substr(0, w.size() - 1).find('.') == std::string_view::npos)
    return false;
  return true;
}

bool company_connector(std::string_view w) {
  return w == "&" || w == "+" || w == "-" || w == "und" || w == "and" || w == "u." || w == "of" ||
         w == "für" || w == "for";
}

std::vector<Entity> companies(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<Entity> out;
  size_t floor = 0;  // tokens before it belong to the previous company
  for (size_t i = 0; i < tokens.size(); ++i) {
    const FormMatch form = legal_form_at(text, tokens, i);
    if (!form.tokens) continue;
    // Walk back over the name: at most 6 words, same line, no punctuation between.
    size_t first = i, words = 0;
    for (size_t k = i; k > floor && i - k < 6; --k) {
      const Token& next = tokens[k];
      const Token& t = tokens[k - 1];
      if (next.break_before || next.lead) break;
      if (t.trail && !(k == i && comma_form(*form.form) && text[t.ce] == ',')) break;
      const std::string_view w = core(text, t);
      if (!company_connector(w)) {
        if (!company_word(w) || is_stop_word(w) || is_legal_form_token(text, tokens, k - 1)) break;
        ++words;
      }
      first = k - 1;
    }
    while (first < i && company_connector(core(text, tokens[first]))) ++first;
    if (words == 0 || first == i) {
      i += form.tokens - 1;
      continue;
    }
    const size_t b = tokens[first].cb, e = form.end;
    out.push_back(make_entity(text, "company", b, e, collapse_spaces(text.substr(b, e - b)),
                              words >= 2 ? 0.85 : 0.8));
    i += form.tokens - 1;
    floor = i + 1;
  }
  return out;
}

const std::unordered_set<std::string_view>& honorifics() {
  static const std::unordered_set<std::string_view> kHonorifics = {
      "Herr",       "Herrn",      "Frau",         "Hr.",  "Fr.",  "Dr.",   "Prof.",
      "Mr",         "Mr.",        "Mrs",          "Mrs.", "Ms",   "Ms.",   "Miss",
      "Monsieur",   "Madame",     "Mademoiselle", "M.",   "Mme",  "Mme.",  "Mlle",
      "Señor",      "Señora",     "Señorita",     "Sr.",  "Sra.", "Srta.", "Dr.-Ing.",
      "Dipl.-Ing.", "Dipl.-Kfm.", "Mag."};
  return kHonorifics;
}

bool name_particle(std::string_view w) {
  return w == "von" || w == "van" || w == "de" || w == "der" || w == "den" || w == "zu" ||
         w == "di" || w == "da" || w == "du" || w == "le" || w == "la" || w == "del" ||
         w == "dos" || w == "ten" || w == "ter";
}

// A capitalised name: letters with - ' ’ inside, two letters at least; or an initial.
bool name_word(std::string_view w) {
  if (is_initial(w)) return true;
  if (!first_upper(w)) return false;
  const std::string_view body = without_final(w, '.');
  for (size_t i = 0; i < body.size();) {
    const Cp c = cp_at(body, i);
    if (!is_letter(c.cp) && c.cp != '-' && c.cp != '\'' && c.cp != 0x2019) return false;
    i += c.len;
  }
  return letter_count(body) >= 2 && !is_stop_word(body);
}

std::vector<Entity> persons(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<Entity> out;
  const auto& titles = honorifics();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& h = tokens[i];
    if (h.trail || h.lead || !titles.count(core(text, h))) continue;
    // "M." is also a middle initial: "J. M. Smith" and "John M. Smith" are no Monsieur.
    if (core(text, h) == "M." && i > 0 && !tokens[i - 1].trail && !h.break_before) {
      const std::string_view prev = core(text, tokens[i - 1]);
      if (is_initial(prev) || (first_upper(prev) && !is_stop_word(prev))) continue;
    }
    size_t k = i + 1;
    while (k < tokens.size() && k - i < 4 && !tokens[k].break_before && !tokens[k - 1].trail &&
           titles.count(core(text, tokens[k])) && core(text, tokens[k]) != "M.")
      ++k;
    // The names: 1–3 words on one line (a line break only right after the titles, as in
    // "Herrn\nMax Mustermann").
    size_t names = 0, last = 0;
    for (size_t n = k; n < tokens.size() && names < 3; ++n) {
      const Token& t = tokens[n];
      if (n > k && t.break_before) break;
      if (tokens[n - 1].trail) break;
      const std::string_view w = core(text, t);
      if (t.lead && n > k) break;
      if (names > 0 && name_particle(w)) continue;
      if (!name_word(w) || titles.count(w) || is_legal_form_token(text, tokens, n)) break;
      ++names;
      last = n;
      if (t.trail) break;
    }
    if (names == 0) continue;
    if (core(text, h) == "M." && letter_count(core(text, tokens[k])) < 2) continue;
    // Followed by a legal form: the words are a company's name ("Dr. Oetker KG").
    if (last + 1 < tokens.size() && !tokens[last].trail && !tokens[last + 1].break_before &&
        is_legal_form_token(text, tokens, last + 1))
      continue;
    size_t e = tokens[last].ce;
    const std::string_view last_word = core(text, tokens[last]);
    if (last_word.back() == '.' && !is_initial(last_word)) --e;  // a sentence's full stop
    const size_t nb = tokens[k].cb;
    out.push_back(make_entity(text, "person", h.cb, e, collapse_spaces(text.substr(nb, e - nb)),
                              names >= 2 ? 0.85 : 0.8));
    i = last;
  }
  return out;
}

bool is_country_prefix(std::string_view p) {
  static const std::unordered_set<std::string_view> kPrefixes = {
      "D",  "A",  "CH", "F",  "E",  "I",  "L",  "B",  "NL", "DE", "AT",
      "FR", "ES", "IT", "LU", "BE", "DK", "PL", "CZ", "FL", "LI"};
  return kPrefixes.count(p) > 0;
}

// Words that follow quantities, not postcodes ("1200 Stück").
bool city_stop_word(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "Stück",   "Stk",     "Euro",        "Euros",  "EUR",       "Jahre", "Tage",   "Monate",
      "Wochen",  "Mal",     "Seiten",      "Punkte", "Einheiten", "Units", "Items",  "Pieces",
      "Minuten", "Stunden", "Mitarbeiter", "Kunden", "Tel",       "Fax",   "Telefon"};
  return kStop.count(w) > 0;
}

// A capitalised place word at p ("Berlin", "Saint-Denis", "St.", "BERLIN"): its end, or p.
size_t city_word(std::string_view text, size_t p) {
  const Cp first = cp_at(text, p);
  if (!is_upper(first.cp)) return p;
  size_t e = p;
  size_t letters = 0;
  for (Cp c = first; c.len; c = cp_at(text, e)) {
    if (is_letter(c.cp)) {
      ++letters;
    } else if (!((c.cp == '-' || c.cp == '\'' || c.cp == 0x2019) &&
                 is_letter(cp_at(text, e + 1).cp))) {
      break;
    }
    e += c.len;
  }
  if (e < text.size() && text[e] == '.' && letters <= 3) ++e;  // "St."
  if (letters < 2 || city_stop_word(text.substr(p, e - p)) || !at_word_end(text, e)) return p;
  return e;
}

bool city_prefix(std::string_view w) {
  return w == "Bad" || w == "Sankt" || w == "St." || w == "Saint" || w == "Sainte" || w == "San" ||
         w == "Santa" || w == "Santo" || w == "Le" || w == "La" || w == "Les" || w == "Den" ||
         w == "Villa";
}

bool city_connector(std::string_view w) {
  return w == "am" || w == "an" || w == "im" || w == "in" || w == "ob" || w == "bei" ||
         w == "vor" || w == "der" || w == "de" || w == "sur" || w == "sous" || w == "en" ||
         w == "la" || w == "le" || w == "les" || w == "del" || w == "di" || w == "upon" ||
         w == "on";
}

// The city after a postcode: a place word, continued by "am Main", "(Saale)", "a.M." or, after
// "Bad"/"St."/..., a second place word. Returns its end, or p.
size_t city_at(std::string_view text, size_t p) {
  size_t e = city_word(text, p);
  if (e == p) return p;
  size_t word_begin = p;
  for (int parts = 0; parts < 3; ++parts) {
    const size_t q = skip_spaces(text, e, 1);
    if (q == e) break;
    if (text.substr(q, 4) == "a.M." || text.substr(q, 5) == "a. M.") {
      e = q + (text[q + 2] == ' ' ? 5 : 4);
      break;
    }
    if (text[q] == '(') {
      const size_t w = city_word(text, q + 1);
      if (w > q + 1 && w < text.size() && text[w] == ')') e = w + 1;
      break;
    }
    size_t w_end = q;
    while (w_end < text.size() && text[w_end] >= 'a' && text[w_end] <= 'z') ++w_end;
    size_t next_begin = q;
    if (w_end > q && city_connector(text.substr(q, w_end - q))) {
      next_begin = skip_spaces(text, w_end, 1);
      if (next_begin == w_end) break;
    } else if (!city_prefix(text.substr(word_begin, e - word_begin))) {
      break;
    }
    const size_t next_end = city_word(text, next_begin);
    if (next_end == next_begin) break;
    word_begin = next_begin;
    e = next_end;
  }
  return e;
}

// Only at the start of a line or after a separator (", " "| " "· " " - "), or with a country
// prefix: elsewhere four or five digits before a capitalised word are rarely a postcode.
bool postcode_position_ok(std::string_view text, size_t b) {
  const size_t q = skip_spaces_back(text, b, 8);
  const Cp prev = cp_before(text, q);
  if (prev.len == 0 || is_line_break(prev.cp)) return true;
  if (q == b) return false;
  if (prev.cp == ',' || prev.cp == ';' || prev.cp == '|' || prev.cp == 0xB7 || prev.cp == 0x2022 ||
      prev.cp == '/')
    return true;
  return (prev.cp == '-' || prev.cp == 0x2013) && is_space(cp_before(text, q - prev.len).cp);
}

bool uk_postcode(std::string_view text, size_t p, size_t& end) {
  // A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA
  size_t q = p, letters = 0;
  while (q < text.size() && is_ascii_upper(text[q]) && letters < 2) ++q, ++letters;
  if (letters == 0 || q >= text.size() || !is_digit(text[q])) return false;
  ++q;
  if (q < text.size() && (is_digit(text[q]) || is_ascii_upper(text[q]))) ++q;
  if (q >= text.size() || text[q] != ' ') return false;
  ++q;
  if (q + 3 > text.size() || !is_digit(text[q]) || !is_ascii_upper(text[q + 1]) ||
      !is_ascii_upper(text[q + 2]))
    return false;
  end = q + 3;
  return at_word_end(text, end);
}

}  // namespace

std::vector<Entity> find_names(std::string_view text) {
  const std::vector<Token> tokens = tokenize(text);
  std::vector<Entity> out = companies(text, tokens);
  std::vector<Entity> people = persons(text, tokens);
  out.insert(out.end(), std::make_move_iterator(people.begin()),
             std::make_move_iterator(people.end()));
  return out;
}

std::vector<Entity> find_postcode_cities(std::string_view text, const TakenSpans& taken) {
  std::vector<Entity> out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!(is_digit(c) || is_ascii_upper(c)) || !at_word_start(text, i)) continue;
    const size_t begin = i;
    size_t code_begin = i;
    double confidence = 0.75;
    if (is_ascii_upper(c)) {
      // "D-10115 Berlin" or a UK postcode "SW1A 1AA London".
      size_t p = i;
      while (p < text.size() && is_ascii_upper(text[p]) && p - i < 3) ++p;
      if (p < text.size() && text[p] == '-' && is_country_prefix(text.substr(i, p - i)) &&
          is_digit(text[p + 1 < text.size() ? p + 1 : p])) {
        code_begin = p + 1;
        confidence = 0.85;
      } else if (size_t uk_end = 0; uk_postcode(text, i, uk_end) && postcode_position_ok(text, i)) {
        const size_t s = skip_spaces(text, uk_end, 2);
        const size_t city_end = s > uk_end ? city_at(text, s) : s;
        if (city_end > s && !taken.overlaps(i, city_end)) {
          std::string value(text.substr(i, uk_end - i));
          value += ' ';
          value += collapse_spaces(text.substr(s, city_end - s));
          out.push_back(make_entity(text, "postcode_city", i, city_end, value, 0.8));
          i = city_end - 1;
        }
        continue;
      } else {
        continue;
      }
    } else if (!postcode_position_ok(text, i)) {
      continue;
    }
    size_t code_end = code_begin;
    while (code_end < text.size() && is_digit(text[code_end]) && code_end - code_begin < 6)
      ++code_end;
    const size_t digits = code_end - code_begin;
    if ((digits != 4 && digits != 5) || !at_word_end(text, code_end) ||
        (digits == 4 && text[code_begin] == '0')) {
      i = code_end > i ? code_end - 1 : i;
      continue;
    }
    const size_t s = skip_spaces(text, code_end, 2);
    const size_t city_end = s > code_end ? city_at(text, s) : s;
    if (city_end == s || taken.overlaps(begin, city_end)) {
      i = code_end - 1;
      continue;
    }
    std::string value(text.substr(code_begin, digits));
    value += ' ';
    value += collapse_spaces(text.substr(s, city_end - s));
    out.push_back(make_entity(text, "postcode_city", begin, city_end, value, confidence));
    i = city_end - 1;
  }
  return out;
}

}  // namespace paperd::engines::extract::detail
