// Keyword classification: see document_classifier.h.
#include "engines/split/document_classifier.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace paperd::engines::split {

namespace {

struct TypeKeywords {
  const char* type;
  std::vector<const char*> title;  // words that name the document (headings)
  std::vector<const char*> body;   // words typical of its body
};

// Order matters for ties: the more specific types come first.
const std::vector<TypeKeywords>& keywords() {
  static const std::vector<TypeKeywords> k = {
      {"delivery_note",
       {"delivery note", "lieferschein", "packing slip", "dispatch note"},
       {"delivered", "geliefert", "shipment", "sendung", "quantity delivered", "liefermenge"}},
      {"receipt",
       {"receipt", "quittung", "kassenbon", "kassenbeleg", "zahlungsbeleg"},
       {"paid", "bezahlt", "cash", "bargeld", "change", "rückgeld", "thank you for your purchase"}},
      {"invoice",
       {"invoice", "rechnung", "facture", "factura", "tax invoice", "gutschrift", "credit note"},
       {"amount due", "total due", "invoice number", "rechnungsnummer", "vat", "mwst", "ust",
        "due date", "zahlbar", "fällig", "iban", "net amount", "nettobetrag", "subtotal"}},
      {"contract",
       {"contract", "agreement", "vertrag", "vereinbarung"},
       {"party", "parties", "hereinafter", "vertragspartner", "term of", "laufzeit", "termination",
        "kündigung", "signature", "unterschrift"}},
      {"letter",
       {},
       {"dear ", "sehr geehrte", "sincerely", "kind regards", "best regards",
        "mit freundlichen grüßen", "mit freundlichen grüssen", "yours faithfully"}},
  };
  return k;
}

std::string lower(const std::string& s) {
  std::string out = s;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  // German capitals with umlauts, as UTF-8 (tolower works on ASCII only).
  for (auto [from, to] : {std::pair{"\xC3\x84", "\xC3\xA4"}, std::pair{"\xC3\x96", "\xC3\xB6"},
                          std::pair{"\xC3\x9C", "\xC3\xBC"}})
    for (size_t p; (p = out.find(from)) != std::string::npos;) out.replace(p, 2, to);
  return out;
}

// Occurrences of needle that start a word ("rechnung" counts in "Rechnungsnummer", "ust" does
// not count in "August").
int count(const std::string& hay, const char* needle) {
  int n = 0;
  std::string_view nv(needle);
  for (size_t p = hay.find(nv); p != std::string::npos; p = hay.find(nv, p + 1)) {
    auto before = p == 0 ? ' ' : static_cast<unsigned char>(hay[p - 1]);
    if (!std::isalnum(before) && before < 0x80) ++n;
  }
  return n;
}

}  // namespace

const std::vector<std::string>& document_types() {
  static const std::vector<std::string> t = {"invoice",       "letter",  "contract",
                                             "delivery_note", "receipt", "unknown"};
  return t;
}

std::string title_type(const std::string& text) {
  std::string t = lower(text);
  for (const auto& k : keywords())
    for (const char* w : k.title)
      if (count(t, w)) return k.type;
  return "";
}

Classification classify_document(const std::string& title, const std::string& body) {
  std::string t = lower(title), b = lower(body);
  Classification best;
  int best_score = 0;
  for (const auto& k : keywords()) {
    int score = 0;
    std::string evidence;
    for (const char* w : k.title) {
      if (int n = count(t, w)) {
        score += 10 * n;
        if (evidence.empty()) evidence = std::string("'") + w + "' near the top of the first page";
      }
      score += 2 * count(b, w);
      if (evidence.empty() && count(b, w)) evidence = std::string("'") + w + "' in the text";
    }
    for (const char* w : k.body) {
      if (int n = count(b, w)) {
        score += n;
        if (evidence.empty()) evidence = std::string("'") + w + "' in the text";
      }
    }
    if (score > best_score) {
      best_score = score;
      best = {k.type, evidence};
    }
  }
  if (best_score < 2)
    return {"unknown", best_score ? "only weak hints (" + best.evidence + ")"
                                  : "no document-type keyword found"};
  return best;
}

}  // namespace paperd::engines::split
