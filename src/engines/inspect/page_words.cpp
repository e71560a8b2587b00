#include "engines/inspect/page_words.h"

#include <cmath>

#include "core/error.h"
#include "engines/pdf/pdf_document.h"

namespace paperd::engines::inspect {

namespace {

double round2(double v) {
  return std::round(v * 100) / 100;
}

}  // namespace

std::vector<PageWords> read_pdf_words(const std::filesystem::path& file,
                                      const std::vector<int>& pages_in, const WordLimits& limits) {
  auto doc = pdf::Document::open(file, "", {.max_pages = limits.max_pages});
  std::vector<int> pages = pages_in;
  if (pages.empty())
    for (int p = 1; p <= doc.page_count(); ++p) pages.push_back(p);
  std::vector<PageWords> out;
  size_t total = 0;
  for (int p : pages) {
    if (p < 1 || p > doc.page_count())
      throw core::Error::invalid_request("page " + std::to_string(p) + " is not in the PDF (" +
                                         std::to_string(doc.page_count()) + " pages)");
    pdf::PageText text = doc.text(p - 1);
    PageWords page{.page = p, .width = text.width, .height = text.height};
    int line = 0;
    for (const auto& block : text.blocks)
      for (const auto& l : block.lines) {
        for (const auto& w : l.words) {
          if (++total > limits.max_words)
            throw core::Error::input_too_large("the pages have more than " +
                                               std::to_string(limits.max_words) + " words");
          page.words.push_back({w.text, w.box.x0, w.box.y0, w.box.x1, w.box.y1, line});
        }
        ++line;
      }
    out.push_back(std::move(page));
  }
  return out;
}

Json to_json(const PageWords& page) {
  Json words = Json::array();
  for (const auto& w : page.words) {
    Json a = {w.text, round2(w.x0), round2(w.y0), round2(w.x1), round2(w.y1), w.line};
    if (w.confidence >= 0) a.push_back(std::round(w.confidence * 10000) / 10000);
    words.push_back(std::move(a));
  }
  return {{"page", page.page},
          {"width", round2(page.width)},
          {"height", round2(page.height)},
          {"unit", page.unit},
          {"words", std::move(words)}};
}

PageWords page_words_from_json(const Json& j) {
  PageWords page{.page = j.value("page", 0),
                 .width = j.value("width", 0.0),
                 .height = j.value("height", 0.0),
                 .unit = j.value("unit", std::string("pt"))};
  for (const auto& a : j.value("words", Json::array())) {
    if (!a.is_array() || a.size() < 6 || !a[0].is_string()) continue;
    page.words.push_back({a[0].get<std::string>(), a[1].get<double>(), a[2].get<double>(),
                          a[3].get<double>(), a[4].get<double>(), a[5].get<int>(),
                          a.size() > 6 ? a[6].get<double>() : -1.0});
  }
  return page;
}

}  // namespace paperd::engines::inspect
