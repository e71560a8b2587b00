// Renders selected pages of a PDF to image files (JPEG/PNG/WebP), pages spread over several
// threads, each with its own pdf::Document (MuPDF contexts are per thread). The calling thread
// only reports progress and can stop the work; errors from any page surface on the caller.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engines/pdf/mupdf_image_encoder.h"
#include "engines/pdf/pdf_document.h"

namespace paperd::engines::pdf {

struct RenderRequest {
  std::filesystem::path pdf;
  std::string password;
  Limits limits;
  std::vector<int> pages;  // 0-based, in output order
  double dpi = 150;
  bool gray = false;
  ImageFormat format = ImageFormat::kPng;
  int quality = 85;
  std::filesystem::path out_dir;
  std::string base;  // files are <out_dir>/<base>_p<N>.<ext>, N 1-based
  int threads = 1;   // clamped to 1..pages
};

struct RenderedPage {
  int page = 0;  // 1-based
  int width = 0, height = 0;
  double dpi = 0;
  std::filesystem::path file;
};

// progress(done, total) runs on the calling thread between pages; returning false (or throwing)
// stops the remaining pages and returns early / rethrows. Pages come back in request order.
// Throws the Document errors (INVALID_PDF, PDF_PASSWORD_REQUIRED, INPUT_TOO_LARGE, ...).
std::vector<RenderedPage> render_pages(const RenderRequest& request,
                                       const std::function<bool(size_t, size_t)>& progress = {});

}  // namespace paperd::engines::pdf
