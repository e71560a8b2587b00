// Per-page signals for the splitter: see page_signals.h.
#include "engines/split/page_signals.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "engines/split/date_finder.h"
#include "engines/split/document_classifier.h"

namespace paperd::engines::split {

namespace {

constexpr auto kIcase = std::regex::ECMAScript | std::regex::icase;

std::string normalise(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c) || c >= 0x80) out += static_cast<char>(std::tolower(c));
  return out;
}

bool looks_like_sender(const std::vector<std::string>& lines) {
  static const std::regex kFeature(
      R"((^|[^a-z])(gmbh|ag|inc|ltd|llc|corp|corporation|company|co\.|kg|e\.k\.|s\.a\.|plc|bv|sarl|srl|tel|phone|fax|street|str\.|stra(ss|ß)e|road|avenue|ave\.|suite)([^a-z]|$)|@|www\.|https?://|(^|\D)\d{4,5}(\D|$))",
      kIcase);
  return std::any_of(lines.begin(), lines.end(),
                     [](const std::string& l) { return std::regex_search(l, kFeature); });
}

}  // namespace

std::optional<PageMarker> find_page_marker(const std::string& text) {
  static const std::regex kWords(
      R"((?:^|[^a-z])(?:page|seite|pg\.?|blatt|p\.)\s*(\d{1,4})\s*(?:of|von|/|from|aus)\s*(\d{1,4}))",
      kIcase);
  static const std::regex kBare(R"((?:^|\n)[\s\-–(]*(\d{1,3})\s*/\s*(\d{1,3})[\s\-–)]*(?:\n|$))");
  std::smatch m;
  for (const auto* re : {&kWords, &kBare}) {
    auto begin = text.cbegin();
    while (std::regex_search(begin, text.cend(), m, *re)) {
      int page = std::stoi(m[1]), of = std::stoi(m[2]);
      if (page >= 1 && of >= 1 && page <= of) return PageMarker{page, of};
      begin = m[0].first + 1;
    }
  }
  return std::nullopt;
}

std::string find_invoice_number(const std::string& text) {
  static const std::regex kInvoice(
      R"((?:invoice|rechnungs?|bill)\s*-?\s*(?:no\.?|number|nr\.?|nummer|num\.?|#|id)?\s*[:.#]?\s*([A-Za-z0-9][A-Za-z0-9\-/_]{2,30}))",
      kIcase);
  auto begin = text.cbegin();
  std::smatch m;
  while (std::regex_search(begin, text.cend(), m, kInvoice)) {
    std::string v = m[1];
    while (!v.empty() && (v.back() == '-' || v.back() == '/')) v.pop_back();
    bool digit = std::any_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); });
    if (digit && find_dates(v).empty()) {
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      return v;
    }
    begin = m[0].first + 1;  // "INVOICE\nInvoice No: 1" retries at the second keyword
  }
  return "";
}

bool same_sender(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  return normalise(a.front()) == normalise(b.front());
}

PageSignals page_signals(const pdf::PageText& page) {
  PageSignals s;
  s.text = page.plain;
  for (const auto& b : page.blocks)
    for (const auto& l : b.lines) s.words += static_cast<int>(l.words.size());
  s.marker = find_page_marker(page.plain);
  s.invoice_number = find_invoice_number(page.plain);
  for (const auto& d : find_dates(page.plain)) s.dates.push_back(d.iso);

  const pdf::TextBlock* top = nullptr;
  for (const auto& b : page.blocks)
    if (!top || b.box.y0 < top->box.y0) top = &b;
  if (top) {
    for (const auto& l : top->lines) {
      if (s.top_lines.size() == 4) break;
      s.top_lines.push_back(l.text);
    }
    // A page-number header ("Page 2 of 3") is no sender.
    if (find_page_marker(s.top_lines.front()) && top->lines.size() == 1) s.top_lines.clear();
    s.letterhead = !s.top_lines.empty() && top->box.y0 < 0.25 * page.height &&
                   top->lines.size() <= 8 && looks_like_sender(s.top_lines);
  }
  std::string upper;
  for (const auto& b : page.blocks)
    for (const auto& l : b.lines) {
      if (l.box.y0 < page.height / 3) s.title_text += l.text + "\n";
      if (l.box.y0 < 0.4 * page.height) upper += l.text + "\n";
    }
  s.title_type = title_type(s.title_text);
  for (const auto& d : find_dates(upper)) s.top_dates.push_back(d.iso);
  return s;
}

}  // namespace paperd::engines::split
