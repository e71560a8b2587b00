// OCR of a whole job: every page of every input (PDFs, multi-page TIFFs, images) in order,
// read in parallel by a pool of threads (each with its own Tesseract instances and MuPDF
// document), with born-digital PDF pages taken from their text layer, and the searchable PDF of
// the job assembled at the end. Inputs are checked up front (format, pages, pixels, password)
// before any page is read.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engines/ocr/page_reader.h"
#include "engines/ocr/page_result.h"
#include "engines/ocr/reader_pool.h"

namespace paperd::engines::ocr {

struct DocumentInput {
  std::filesystem::path path;
  std::string name;  // as the client named it, for messages
};

struct DocumentOptions {
  PageOptions page;  // pdf_out_base and original_jpeg are set per page
  bool searchable_pdf = false;
  bool force_ocr = false;  // recognize born-digital pages too
  // Render resolution of PDF pages and pixel unit of their boxes. 300 also for 200-dpi scans:
  // upsampled pages read as well as native ones, and the text layer Tesseract writes for them
  // comes out of pdftotext in order (at 200 dpi lines interleave: CER 6% vs 0% on bench/ocr.sh).
  double pdf_dpi = 300;
  std::string password;  // for encrypted PDFs
  int threads = 0;       // 0 = hardware threads
  int64_t max_pages = 5000;
  int64_t max_megapixels = 200;
  int only_page = 0;  // 1-based page of the job to read alone; 0 = all
  std::filesystem::path tessdata;
  std::filesystem::path work_dir;  // scratch space for page PDFs and the result PDF
  ReaderPool* readers = nullptr;   // loaded models kept between jobs (optional)
};

struct DocumentResult {
  std::vector<PageResult> pages;
  int total_pages = 0;                   // pages in the inputs (only_page reads one of them)
  std::vector<int> page_numbers;         // 1-based job page number of each result
  std::filesystem::path searchable_pdf;  // set when options.searchable_pdf
};

// Called on the calling thread at least every 250 ms and after pages finish, with (done,
// total); it may throw to cancel, which stops the pool (pages in progress finish) and propagates.
using ProgressFn = std::function<void(int done, int total)>;

DocumentResult read_documents(const std::vector<DocumentInput>& inputs,
                              const DocumentOptions& options, const ProgressFn& progress);

}  // namespace paperd::engines::ocr
