// Parallel page rendering: see mupdf_page_renderer.h. One MuPDF document per thread
// (core::parallel_for), each pulling the next page.
#include "engines/pdf/mupdf_page_renderer.h"

#include <memory>
#include <optional>

#include "core/parallel.h"

namespace paperd::engines::pdf {

std::vector<RenderedPage> render_pages(const RenderRequest& req,
                                       const std::function<bool(size_t, size_t)>& progress) {
  // Opened here first so a bad file fails before any thread starts; the first worker reuses it.
  std::optional<Document> first = Document::open(req.pdf, req.password, req.limits);
  std::vector<RenderedPage> results(req.pages.size());
  const std::string ext(image_extension(req.format));
  size_t done = core::parallel_for(
      req.pages.size(), req.threads,
      [&](int thread) -> core::ItemFn {
        auto doc = std::make_shared<Document>(
            thread == 0 ? std::move(*first) : Document::open(req.pdf, req.password, req.limits));
        return [&, doc](size_t i) {
          int index = req.pages[i];
          Raster r = doc->render(index, req.dpi, req.gray);
          auto file = req.out_dir / (req.base + "_p" + std::to_string(index + 1) + "." + ext);
          write_raster(r, req.format, req.quality, file);
          results[i] = {index + 1, r.width, r.height, r.dpi, file};
        };
      },
      progress);
  if (done < req.pages.size()) results.clear();  // stopped by the caller
  return results;
}

}  // namespace paperd::engines::pdf
