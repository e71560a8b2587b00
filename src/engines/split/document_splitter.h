// AI split: a PDF holding several documents (a scanned mail batch, merged invoices) divided into
// its documents from the pages' own evidence, each boundary explained. Signals: page-number
// markers ("Page 1 of 2" starts, "Page 2 of 2" ends a document), a new invoice number, a new
// letterhead/sender at the top, a document-type title and a new date near the top (weak, counted
// together), blank separator pages and separator barcodes (both left out of the documents).
// Pages without a usable text layer (scans) are read by OCR when SplitOptions::ocr is set and
// then judged like any other page; without OCR, or when OCR finds no text, they stay with the
// document before them. The reasoning says which. Each document gets a type, date, sender and a
// suggested file name.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "engines/ocr/document_reader.h"
#include "engines/pdf/pdf_document.h"
#include "engines/split/page_signals.h"

namespace paperd::engines::split {

struct SplitOptions {
  std::string password;
  pdf::Limits limits;
  bool split_on_blank = true;
  bool detect_barcodes = true;
  std::string separator_codes = "PATCHT";  // scan::SeparatorMatcher syntax
  int barcode_max_words = 30;  // pages with more words are not searched for separator codes
  // Set: pages without a usable text layer (not blank, not separators) are read by the OCR
  // engine with these options (scan_reader.h). Unset: they stay unread.
  std::optional<ocr::DocumentOptions> ocr;
};

struct SplitDocument {
  std::vector<int> pages;  // 1-based, contiguous
  std::string page_range;  // "1-3"
  std::string document_type = "unknown";
  std::string date;  // ISO; "" when none found
  std::string sender;
  std::string invoice_number;
  std::string suggested_filename;
  std::string reasoning;
};

struct SkippedPage {
  int page = 0;
  std::string reason;
};

struct SplitPlan {
  int page_count = 0;
  std::vector<SplitDocument> documents;
  std::vector<SkippedPage> separator_pages;
  std::vector<int> pages_without_text;  // scans left unread (no OCR, or OCR found no text)
  std::vector<int> pages_read_by_ocr;   // scans judged on the text OCR read
};

// What the splitter knows about one page (text signals plus what rendering found).
struct PageEvidence {
  PageSignals signals;
  bool blank = false;      // no text and (nearly) no ink
  bool separator = false;  // carries a separator code
  std::string separator_reason;
  bool scanned = false;  // no text layer but ink on the page
  bool ocr = false;      // signals come from OCR (the page had no usable text layer)
};

// Reads every page (text; blank check and barcodes where the text is thin), reads the scans by
// OCR when options.ocr is set, and plans the split. progress(done, total) counts pages whose
// evidence is complete (a scan counts once OCR has read it); it may throw to cancel. Throws the
// pdf::Document and OCR errors.
SplitPlan plan_split(const std::filesystem::path& pdf, const SplitOptions& options,
                     const std::function<void(int, int)>& progress = {});

// The planning step alone, over evidence already gathered (unit-testable without PDFs).
// `stem` names files when a document has no date, type or sender.
SplitPlan plan_from_evidence(const std::vector<PageEvidence>& pages, const SplitOptions& options,
                             const std::string& stem = "document");

// Writes one PDF per planned document into out_dir with qpdf (pages copied with their
// annotations, forms and bookmarks); returns the files in plan order.
std::vector<std::filesystem::path> write_documents(const std::filesystem::path& pdf,
                                                   const std::string& password, int64_t max_pages,
                                                   const SplitPlan& plan,
                                                   const std::filesystem::path& out_dir,
                                                   const std::string& display_name);

// {page_range, pages, page_count, document_type, date, sender, invoice_number,
//  suggested_filename, reasoning} as in CONTRACTS §2.1.
Json document_json(const SplitDocument& d);

}  // namespace paperd::engines::split
