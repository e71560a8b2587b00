// What one page's own text says about where it belongs: a page-number marker ("Page 2 of 3",
// "Seite 1 von 2", "1/3"), an invoice number, the dates on it, the block at the top of the page
// (a letterhead or sender), and a document-type title near the top. The splitter compares these
// between neighbouring pages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engines/pdf/pdf_document.h"

namespace paperd::engines::split {

struct PageMarker {
  int page = 0, of = 0;  // "Page <page> of <of>"
};

struct PageSignals {
  int words = 0;
  std::string text;  // the page's plain text
  std::optional<PageMarker> marker;
  std::string invoice_number;          // normalised (upper case, no spaces); "" = none
  std::vector<std::string> dates;      // ISO, in order of appearance
  std::vector<std::string> top_dates;  // dates in the upper 40% of the page (letter/invoice date)
  std::vector<std::string> top_lines;  // the first lines of the top block (up to 4)
  bool letterhead = false;  // the top block looks like a sender (company, address, contact)
  std::string title_text;   // the text of the page's top third
  std::string title_type;   // a document type named in the top third ("invoice", ...), or ""
};

PageSignals page_signals(const pdf::PageText& page);

// Page-number markers, invoice numbers and letterhead features in a text; exposed for tests.
std::optional<PageMarker> find_page_marker(const std::string& text);
std::string find_invoice_number(const std::string& text);

// Compares two top blocks loosely (case, spacing and punctuation ignored, first line decisive).
bool same_sender(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace paperd::engines::split
