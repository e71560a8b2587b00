// The AI split: see document_splitter.h. Boundary scoring: strong signals (page-number reset or
// end, new invoice number) count 3, a new letterhead 2, a type title or a new top date 1 each; a
// page starts a new document at 2 or more unless its page marker continues the previous page's.
#include "engines/split/document_splitter.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.h"
#include "engines/ocr/pdf_pages.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/pdf/qpdf_page_ranges.h"
#include "engines/pdf/qpdf_split.h"
#include "engines/scan/blank_detector.h"
#include "engines/scan/code_reader.h"
#include "engines/scan/separator.h"
#include "engines/split/document_classifier.h"
#include "engines/split/scan_reader.h"

namespace paperd::engines::split {

namespace {

constexpr double kBlankDpi = 72;
constexpr double kBarcodeDpi = 150;
constexpr int kSplitScore = 2;

std::string quote(const std::string& s) {
  return "'" + s + "'";
}

std::string marker_text(const PageMarker& m) {
  return "page " + std::to_string(m.page) + " of " + std::to_string(m.of);
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// A file-name-safe slug: lower-case ASCII letters and digits, '-' between words, at most 40.
std::string slug(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// The document being assembled while walking the pages.
struct Current {
  SplitDocument doc;
  std::vector<std::string> reasons;
  std::vector<std::string> sender_lines;
  std::string title_type;  // the first page's title type
  std::string top_date;
  const PageEvidence* last = nullptr;
  std::string text, title_text;
  std::vector<std::string> ocr_pages;  // page numbers read by OCR
};

struct Decision {
  int score = 0;
  bool continues = false;
  std::vector<std::string> reasons;
};

Decision judge(const Current& cur, const PageEvidence& page, int number) {
  Decision d;
  const PageSignals& s = page.signals;
  const PageSignals* prev = cur.last ? &cur.last->signals : nullptr;
  if (s.marker && s.marker->page > 1 && prev && prev->marker && prev->marker->of == s.marker->of &&
      prev->marker->page + 1 == s.marker->page) {
    d.continues = true;
    return d;
  }
  if (s.marker && s.marker->page == 1) {
    d.score += 3;
    d.reasons.push_back("page " + std::to_string(number) + " is marked " +
                        quote(marker_text(*s.marker)));
  }
  if (prev && prev->marker && prev->marker->page == prev->marker->of) {
    d.score += 3;
    d.reasons.push_back("page " + std::to_string(number - 1) +
                        " was the last page of its document (" + quote(marker_text(*prev->marker)) +
                        ")");
  }
  if (!s.invoice_number.empty() && !cur.doc.invoice_number.empty() &&
      s.invoice_number != cur.doc.invoice_number) {
    d.score += 3;
    d.reasons.push_back("new invoice number " + s.invoice_number + " (the previous document has " +
                        cur.doc.invoice_number + ")");
  }
  if (s.letterhead && !same_sender(s.top_lines, cur.sender_lines)) {
    d.score += 2;
    d.reasons.push_back("new letterhead/sender at the top: " + quote(s.top_lines.front()));
  }
  if (!s.title_type.empty() && s.title_type != cur.title_type) {
    d.score += 1;
    d.reasons.push_back("the top of the page names a " + s.title_type);
  }
  if (!s.top_dates.empty() && !cur.top_date.empty() && s.top_dates.front() != cur.top_date) {
    d.score += 1;
    d.reasons.push_back("new date " + s.top_dates.front() + " near the top (was " + cur.top_date +
                        ")");
  }
  if (s.marker && s.marker->page > 1) {
    // A page numbered 2+ that does not follow its predecessor still looks like a continuation.
    d.score -= 1;
  }
  return d;
}

void absorb(Current& cur, const PageEvidence& page, int number) {
  const PageSignals& s = page.signals;
  if (cur.doc.pages.empty()) {
    cur.sender_lines = s.top_lines;
    cur.title_type = s.title_type;
    cur.title_text = s.title_text;
    if (!s.top_dates.empty()) cur.top_date = s.top_dates.front();
  }
  if (cur.sender_lines.empty() && !s.top_lines.empty()) cur.sender_lines = s.top_lines;
  if (cur.doc.invoice_number.empty()) cur.doc.invoice_number = s.invoice_number;
  if (cur.doc.date.empty())
    cur.doc.date = !s.top_dates.empty() ? s.top_dates.front()
                   : !s.dates.empty()   ? s.dates.front()
                                        : "";
  if (cur.top_date.empty() && !s.top_dates.empty()) cur.top_date = s.top_dates.front();
  cur.doc.pages.push_back(number);
  cur.text += s.text + "\n";
  cur.last = &page;
  if (page.ocr) cur.ocr_pages.push_back(std::to_string(number));
}

void finish(Current& cur, SplitPlan& plan, std::set<std::string>& names, const std::string& stem) {
  if (cur.doc.pages.empty()) return;
  SplitDocument& d = cur.doc;
  d.page_range = d.pages.size() == 1
                     ? std::to_string(d.pages.front())
                     : std::to_string(d.pages.front()) + "-" + std::to_string(d.pages.back());
  Classification c = classify_document(cur.title_text, cur.text);
  d.document_type = c.type;
  std::vector<std::string> sender;
  for (size_t i = 0; i < cur.sender_lines.size() && i < 3; ++i)
    sender.push_back(cur.sender_lines[i]);
  d.sender = join(sender, ", ");
  cur.reasons.push_back("type " + c.type + ": " + c.evidence);
  if (!cur.ocr_pages.empty())
    cur.reasons.push_back((cur.ocr_pages.size() == 1 ? "page " : "pages ") +
                          join(cur.ocr_pages, ", ") + " read by OCR (no text layer)");

  std::vector<std::string> parts;
  if (!d.date.empty()) parts.push_back(d.date);
  if (d.document_type != "unknown") parts.push_back(d.document_type);
  if (!d.invoice_number.empty() && d.document_type == "invoice")
    parts.push_back(slug(d.invoice_number));
  if (!cur.sender_lines.empty() && !slug(cur.sender_lines.front()).empty())
    parts.push_back(slug(cur.sender_lines.front()));
  std::string base = parts.empty() ? stem + "_document_" + std::to_string(plan.documents.size() + 1)
                                   : join(parts, "_");
  std::string name = base + ".pdf";
  for (int n = 2; !names.insert(name).second; ++n) name = base + "_" + std::to_string(n) + ".pdf";
  d.suggested_filename = name;
  d.reasoning = join(cur.reasons, "; ") + ".";
  plan.documents.push_back(std::move(d));
  cur = Current{};
}

scan::GrayImage to_gray(pdf::Raster r) {
  return {r.width, r.height, r.dpi, std::move(r.pixels)};
}

}  // namespace

SplitPlan plan_from_evidence(const std::vector<PageEvidence>& pages, const SplitOptions& options,
                             const std::string& stem) {
  SplitPlan plan;
  plan.page_count = static_cast<int>(pages.size());
  std::set<std::string> names;
  Current cur;
  std::string after_separator;
  for (size_t i = 0; i < pages.size(); ++i) {
    const PageEvidence& page = pages[i];
    const int number = static_cast<int>(i) + 1;
    if (page.separator || (page.blank && options.split_on_blank)) {
      std::string why = page.separator ? page.separator_reason : "blank page";
      plan.separator_pages.push_back({number, why});
      finish(cur, plan, names, stem);
      after_separator =
          "follows the separator on page " + std::to_string(number) + " (" + why + ")";
      continue;
    }
    const bool unread = page.scanned && !page.ocr;
    if (unread) plan.pages_without_text.push_back(number);
    if (page.ocr) plan.pages_read_by_ocr.push_back(number);
    if (cur.doc.pages.empty()) {
      cur.reasons.push_back(!after_separator.empty() ? "starts at page " + std::to_string(number) +
                                                           ": " + after_separator
                            : number == 1 ? "starts at page 1"
                                          : "starts at page " + std::to_string(number));
      after_separator.clear();
      absorb(cur, page, number);
    } else if (unread || page.blank) {
      cur.reasons.push_back("page " + std::to_string(number) +
                            (page.blank    ? " is blank"
                             : options.ocr ? " has no text layer and OCR found no text on it"
                                           : " has no text layer (a scan; OCR was not applied)") +
                            " and stays with the pages before it");
      cur.doc.pages.push_back(number);
      cur.last = &page;
    } else {
      Decision d = judge(cur, page, number);
      if (!d.continues && d.score >= kSplitScore) {
        finish(cur, plan, names, stem);
        cur.reasons.push_back("starts at page " + std::to_string(number) + ": " +
                              join(d.reasons, ", "));
      } else if (!d.reasons.empty() && !d.continues) {
        cur.reasons.push_back("page " + std::to_string(number) + " kept despite weak signals (" +
                              join(d.reasons, ", ") + ")");
      }
      absorb(cur, page, number);
    }
  }
  finish(cur, plan, names, stem);
  return plan;
}

SplitPlan plan_split(const std::filesystem::path& pdf_path, const SplitOptions& options,
                     const std::function<void(int, int)>& progress) {
  pdf::Document doc = pdf::Document::open(pdf_path, options.password, options.limits);
  std::optional<scan::SeparatorMatcher> matcher;
  std::optional<scan::CodeReader> reader;
  if (options.detect_barcodes) {
    matcher.emplace(options.separator_codes);
    reader.emplace();
  }
  const int n = doc.page_count();
  std::vector<PageEvidence> pages(static_cast<size_t>(n));
  std::vector<int> to_read;  // 0-based pages for OCR
  for (int i = 0; i < n; ++i) {
    PageEvidence& e = pages[static_cast<size_t>(i)];
    const pdf::PageText text = doc.text(i);
    e.signals = page_signals(text);
    if (e.signals.words == 0) {
      auto blank = scan::detect_blank(to_gray(doc.render(i, kBlankDpi, true)));
      e.blank = blank.blank;
      e.scanned = !blank.blank;
    }
    if (reader && !e.blank && e.signals.words <= options.barcode_max_words) {
      for (const auto& code : reader->read(to_gray(doc.render(i, kBarcodeDpi, true)))) {
        if (matcher->matches(code.value)) {
          e.separator = true;
          e.separator_reason = "separator code " + quote(code.value) + " (" + code.type + ")";
          break;
        }
      }
    }
    // The OCR engine's own test of a text layer, so that the split reads exactly the pages an
    // OCR job would recognize.
    if (options.ocr && !e.blank && !e.separator && !ocr::usable_text_layer(text))
      to_read.push_back(i);
    if (progress) progress(i + 1 - static_cast<int>(to_read.size()), n);
  }
  if (!to_read.empty()) {
    const int before = n - static_cast<int>(to_read.size());
    auto texts = read_scanned_pages(pdf_path, options.password, options.limits.max_pages, to_read,
                                    *options.ocr, [&](int done, int) {
                                      if (progress) progress(before + done, n);
                                    });
    for (size_t k = 0; k < to_read.size(); ++k) {
      PageEvidence& e = pages[static_cast<size_t>(to_read[k])];
      PageSignals read = page_signals(texts[k]);
      // A thin text layer (a stamp, a scanner's header) is kept if OCR reads even less.
      if (read.words > e.signals.words) {
        e.signals = std::move(read);
        e.ocr = true;
      }
    }
  }
  return plan_from_evidence(pages, options, pdf_path.stem().string());
}

std::vector<std::filesystem::path> write_documents(const std::filesystem::path& pdf_path,
                                                   const std::string& password, int64_t max_pages,
                                                   const SplitPlan& plan,
                                                   const std::filesystem::path& out_dir,
                                                   const std::string& display_name) {
  std::vector<std::filesystem::path> files;
  if (plan.documents.empty()) return files;
  auto doc = pdf::QpdfDocument::open(
      pdf_path, {.password = password, .display_name = display_name, .max_pages = max_pages});
  std::vector<pdf::PageRange> ranges;
  for (const auto& d : plan.documents) ranges.push_back({d.pages.front(), d.pages.back()});
  for (const auto& part : pdf::split_pdf(doc, ranges, out_dir, "document"))
    files.push_back(part.file);
  return files;
}

Json document_json(const SplitDocument& d) {
  Json j = {{"page_range", d.page_range},
            {"pages", d.pages},
            {"page_count", d.pages.size()},
            {"document_type", d.document_type},
            {"suggested_filename", d.suggested_filename},
            {"date", d.date.empty() ? Json(nullptr) : Json(d.date)},
            {"sender", d.sender.empty() ? Json(nullptr) : Json(d.sender)},
            {"reasoning", d.reasoning}};
  if (!d.invoice_number.empty()) j["invoice_number"] = d.invoice_number;
  return j;
}

}  // namespace paperd::engines::split
