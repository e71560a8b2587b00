#include "engines/ocr/document_reader.h"

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "core/clock.h"
#include "core/error.h"
#include "core/parallel.h"
#include "engines/ocr/image_file.h"
#include "engines/ocr/input_format.h"
#include "engines/ocr/language.h"
#include "engines/ocr/pdf_assembler.h"
#include "engines/ocr/pdf_pages.h"
#include "engines/ocr/scan_jpeg.h"
#include "engines/pdf/pdf_document.h"

namespace paperd::engines::ocr {

namespace {

struct Source {
  DocumentInput input;
  InputFormat format = InputFormat::kUnknown;
  std::optional<ImageFile> image;  // raster inputs
  int pages = 0;
};

struct PageTask {
  int source = 0;
  int index = 0;   // page within the source
  int number = 0;  // 1-based page of the job
};

// What a finished page contributes to the searchable PDF.
struct PagePdf {
  std::filesystem::path file;
  int index = 0;
  bool from_source = false;
};

pdf::Limits limits(const DocumentOptions& o) {
  return {o.max_pages, o.max_megapixels};
}

std::string page_base(const std::filesystem::path& dir, int number) {
  char name[32];
  std::snprintf(name, sizeof name, "page-%05d", number);
  return (dir / name).string();
}

// One thread's reading: its PageReader (Tesseract instances) and its own MuPDF documents.
class PageWorker {
 public:
  PageWorker(const std::vector<Source>& sources, const DocumentOptions& options)
      : sources_(sources),
        options_(options),
        reader_(options.readers ? options.readers->take(options.tessdata)
                                : std::make_unique<PageReader>(options.tessdata)) {}
  // Hands the reader back for the next job, unless a page failed in it.
  ~PageWorker() {
    if (options_.readers && healthy_) options_.readers->give_back(std::move(reader_));
  }

  PageResult read(const PageTask& task, PagePdf* pdf) {
    healthy_ = false;
    PageResult page = read_page(task, pdf);
    healthy_ = true;
    return page;
  }

 private:
  PageResult read_page(const PageTask& task, PagePdf* pdf) {
    const Source& src = sources_[task.source];
    PageOptions po = options_.page;
    if (options_.searchable_pdf) po.pdf_out_base = page_base(options_.work_dir, task.number);
    *pdf = {po.pdf_out_base.string() + ".pdf", 0, false};
    if (src.format != InputFormat::kPdf) {
      PixPtr image = src.image->load(task.index);
      if (src.format == InputFormat::kJpeg) po.original_jpeg = src.input.path.string();
      return reader_->read(image.get(), 0, po);
    }
    const pdf::Document& doc = document(task.source);
    if (!options_.force_ocr) {
      pdf::PageText text = doc.text(task.index);
      if (usable_text_layer(text)) {
        *pdf = {src.input.path, task.index, true};
        return text_layer_page(doc, task.index, text, po);
      }
    }
    const int dpi = static_cast<int>(std::lround(options_.pdf_dpi));
    if (auto jpeg = scan_jpeg(qpdf_document(task.source), task.index, options_.pdf_dpi)) {
      PixPtr image(
          pixReadMem(reinterpret_cast<const l_uint8*>(jpeg->bytes.data()), jpeg->bytes.size()));
      if (image && pixGetWidth(image.get()) == jpeg->width &&
          pixGetHeight(image.get()) == jpeg->height) {
        if (options_.searchable_pdf) {
          po.original_jpeg = po.pdf_out_base.string() + ".jpg";  // scratch: no fsync
          std::ofstream(po.original_jpeg, std::ios::binary) << jpeg->bytes;
        }
        return reader_->read(image.get(), dpi, po);
      }
    }
    PixPtr image = raster_to_pix(doc.render(task.index, options_.pdf_dpi));
    return reader_->read(image.get(), dpi, po);
  }

  // qpdf's view of a source, for the scan-JPEG fast path (scan_jpeg.h).
  const pdf::QpdfDocument& qpdf_document(int source) {
    auto it = qdocs_.find(source);
    if (it == qdocs_.end())
      it =
          qdocs_
              .emplace(source, pdf::QpdfDocument::open(sources_[source].input.path,
                                                       {.password = options_.password,
                                                        .display_name = sources_[source].input.name,
                                                        .max_pages = options_.max_pages}))
              .first;
    return it->second;
  }

  const pdf::Document& document(int source) {
    auto it = docs_.find(source);
    if (it == docs_.end())
      it = docs_
               .emplace(source, pdf::Document::open(sources_[source].input.path, options_.password,
                                                    limits(options_)))
               .first;
    return it->second;
  }

  // A born-digital page: its text layer, language, and (complete mode, forms) the structure
  // measured on its rendering.
  PageResult text_layer_page(const pdf::Document& doc, int index, const pdf::PageText& text,
                             const PageOptions& po) {
    core::Stopwatch watch;
    PageResult page = page_from_text_layer(text, options_.pdf_dpi);
    std::string set = po.language.empty() ? po.first_pass_language : po.language;
    page.language = detect_language(
        page.text(), po.language.empty() ? std::vector<std::string>{} : split_languages(set));
    if (page.language.code.empty()) page.language = {split_languages(set).front(), 0};
    PixPtr image;
    if (po.mode == OcrMode::kComplete || po.form_fields)
      image = raster_to_pix(doc.render(index, options_.pdf_dpi, true));
    analyze_structure(page, image.get(), page.dpi, po.mode, po.form_fields);
    page.seconds = watch.elapsed_ms() / 1000.0;
    return page;
  }

  const std::vector<Source>& sources_;
  const DocumentOptions& options_;
  std::unique_ptr<PageReader> reader_;
  std::map<int, pdf::Document> docs_;
  std::map<int, pdf::QpdfDocument> qdocs_;
  bool healthy_ = true;
};

}  // namespace

DocumentResult read_documents(const std::vector<DocumentInput>& inputs,
                              const DocumentOptions& options, const ProgressFn& progress) {
  // Leptonica prints every decoder complaint to stderr; failures become clear errors here.
  static std::once_flag quiet;
  std::call_once(quiet, [] { setMsgSeverity(L_SEVERITY_NONE); });
  // 1. Check every input and count pages before reading anything.
  std::vector<Source> sources;
  std::vector<PageTask> tasks;
  int number = 0;
  for (const auto& in : inputs) {
    Source s{in};
    s.format = sniff_format(in.path);
    require_supported(s.format, in.name);
    if (s.format == InputFormat::kPdf) {
      pdf::Document doc = pdf::Document::open(in.path, options.password, limits(options));
      s.pages = doc.page_count();
      for (int i = 0; i < s.pages; ++i) {
        const double dpi = options.pdf_dpi;
        auto [w, h] = doc.page_size(i);
        double mp = w * dpi / 72.0 * h * dpi / 72.0 / 1e6;
        if (mp > static_cast<double>(options.max_megapixels))
          throw core::Error::input_too_large(
              "page " + std::to_string(i + 1) + " of '" + in.name + "' would be " +
              std::to_string(static_cast<int64_t>(mp)) + " MP at " +
              std::to_string(static_cast<int>(dpi)) + " dpi; the limit is " +
              std::to_string(options.max_megapixels) + " MP (lower 'dpi' or raise max_megapixels)");
      }
    } else {
      s.image = ImageFile::probe(in.path, in.name, options.max_megapixels, options.max_pages);
      s.pages = s.image->page_count();
    }
    for (int i = 0; i < s.pages; ++i)
      tasks.push_back({static_cast<int>(sources.size()), i, ++number});
    sources.push_back(std::move(s));
  }
  if (number > options.max_pages)
    throw core::Error::input_too_large("the job has " + std::to_string(number) +
                                       " pages; the limit is " + std::to_string(options.max_pages) +
                                       " (setting max_pages)");
  DocumentResult result;
  result.total_pages = number;
  if (options.only_page) {
    if (options.only_page < 1 || options.only_page > number)
      throw core::Error::invalid_request("field 'page' must be between 1 and " +
                                         std::to_string(number) + " (the job's pages)");
    tasks = {tasks[options.only_page - 1]};
  }

  // 2. Read the pages on a pool of threads, each with its own Tesseract instances and documents.
  const size_t total = tasks.size();
  std::vector<PageResult> pages(total);
  std::vector<PagePdf> pdfs(total);
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  core::parallel_for(
      total, threads,
      [&](int) -> core::ItemFn {
        limit_openmp_threads();
        auto worker = std::make_shared<PageWorker>(sources, options);
        return [&, worker](size_t t) { pages[t] = worker->read(tasks[t], &pdfs[t]); };
      },
      [&](size_t done, size_t all) {
        progress(static_cast<int>(done), static_cast<int>(all));
        return true;
      });

  // 3. The searchable PDF, pages in job order.
  if (options.searchable_pdf) {
    std::vector<PdfPagePart> parts;
    for (const auto& p : pdfs)
      parts.push_back({p.file, p.index, p.from_source ? options.password : std::string()});
    result.searchable_pdf = options.work_dir / "searchable.pdf";
    assemble_pdf(parts, result.searchable_pdf);
  }
  for (const auto& t : tasks) result.page_numbers.push_back(t.number);
  result.pages = std::move(pages);
  return result;
}

}  // namespace paperd::engines::ocr
