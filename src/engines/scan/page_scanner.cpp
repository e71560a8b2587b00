#include "engines/scan/page_scanner.h"

#include <memory>

#include "core/error.h"
#include "core/parallel.h"

namespace paperd::engines::scan {

PageScanner::PageScanner(std::vector<ScanInput> inputs, ScanSettings settings)
    : inputs_(std::move(inputs)), settings_(std::move(settings)) {
  for (size_t i = 0; i < inputs_.size(); ++i) {
    sources_.push_back(open_page_source(inputs_[i].path, settings_.limits, inputs_[i].name));
    for (int p = 0; p < sources_.back()->page_count(); ++p) slots_.push_back({i, p});
    if (static_cast<int64_t>(slots_.size()) > settings_.limits.max_pages)
      throw core::Error::input_too_large("the inputs have more than " +
                                         std::to_string(settings_.limits.max_pages) +
                                         " pages together (the limit)");
  }
}

PageScanner::~PageScanner() = default;

PageReport PageScanner::analyze(const PageSource& source, const Slot& slot,
                                CodeReader& reader) const {
  GrayImage image = source.page(slot.index, settings_.dpi);
  PageReport r;
  r.input = slot.input;
  r.index = slot.index;
  r.width = image.width;
  r.height = image.height;
  r.dpi = image.dpi;
  r.blank = detect_blank(image, settings_.blank);
  if (settings_.separators) {
    r.codes = reader.read(image);
    for (const auto& c : r.codes) {
      bool sep = settings_.separators->matches(c.value);
      r.code_is_separator.push_back(sep);
      r.separator = r.separator || sep;
    }
  }
  return r;
}

std::vector<PageReport> PageScanner::run(const std::function<void(int, int)>& progress,
                                         const std::function<bool()>& cancelled) {
  std::vector<PageReport> reports(slots_.size());
  int reported = -1;
  size_t done = core::parallel_for(
      slots_.size(), settings_.threads,
      [&](int thread) -> core::ItemFn {
        // The first thread uses the sources opened by the constructor; the others open their own.
        auto mine = std::make_shared<std::vector<std::unique_ptr<PageSource>>>();
        if (thread > 0)
          for (const auto& in : inputs_)
            mine->push_back(open_page_source(in.path, settings_.limits, in.name));
        auto reader = std::make_shared<CodeReader>();
        return [this, &reports, mine, reader](size_t i) {
          const Slot& slot = slots_[i];
          const PageSource& src = mine->empty() ? *sources_[slot.input] : *(*mine)[slot.input];
          reports[i] = analyze(src, slot, *reader);
        };
      },
      [&](size_t now, size_t total) {
        if (static_cast<int>(now) != reported) {
          reported = static_cast<int>(now);
          progress(reported, static_cast<int>(total));
        }
        return !cancelled();
      },
      200);
  if (done < slots_.size()) return {};  // cancelled
  return reports;
}

}  // namespace paperd::engines::scan
