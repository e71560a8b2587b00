#include "jobs/pipelines/ocr_options.h"

#include <algorithm>

#include "engines/ocr/language.h"
#include "engines/ocr/reader_pool.h"

namespace paperd::jobs {

namespace ocr = engines::ocr;

ocr::DocumentOptions ocr_base_options(const core::Config& config,
                                      const std::filesystem::path& work_dir) {
  static ocr::ReaderPool readers(
      static_cast<size_t>(std::max(2, config.ocr_threads > 0 ? config.ocr_threads : 4)));
  ocr::DocumentOptions o;
  o.tessdata = ocr::default_tessdata_dir();
  o.page.installed = ocr::installed_languages(o.tessdata);
  if (!config.ocr_language.empty())
    o.page.first_pass_language = ocr::resolve_languages(config.ocr_language, o.page.installed);
  if (o.page.first_pass_language.empty()) o.page.first_pass_language = "eng";
  o.threads = config.ocr_threads;
  o.max_pages = config.max_pages;
  o.max_megapixels = config.max_megapixels;
  o.readers = &readers;
  o.work_dir = work_dir;
  std::filesystem::create_directories(work_dir);
  return o;
}

}  // namespace paperd::jobs
