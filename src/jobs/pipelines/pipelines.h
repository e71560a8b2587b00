// The user-visible pipelines, one registration function per area. Each area's file registers its
// rows of the job table (slugs and workflow templates) with validate() and run(); run() calls the
// engines in src/engines/. Registered in serve, worker and `paperd run` alike.
#pragma once

#include <optional>
#include <string>

#include "core/config.h"
#include "jobs/pipeline.h"

namespace paperd::jobs {

// One row of a pipeline's parameter table (the schema the API checks and the docs and MCP tools
// show): a name, a type, what it means, and optionally a default and a numeric range.
inline http::Param param(std::string name, http::ParamType type, std::string description,
                         Json default_value = nullptr, std::optional<double> minimum = {},
                         std::optional<double> maximum = {}) {
  http::Param p{.name = std::move(name), .type = type, .description = std::move(description)};
  p.default_value = std::move(default_value);
  p.minimum = minimum;
  p.maximum = maximum;
  return p;
}

// The same parameter, marked required.
inline http::Param required(http::Param p) {
  p.required = true;
  return p;
}

// qpdf and Ghostscript tools: merge, split, rotate, compress, protect, unlock, restrictions,
// metadata, image_to_pdf, and the legacy slugs pdfstudio___compress_pdf and pdfstudio___jpg_to_pdf
// (pdf_tools.cpp).
void register_pdf_tool_pipelines(PipelineRegistry& registry, const core::Config& config);
// MuPDF: pdf_convert (images, text, html, office formats, PDF/A), pdf_ai_split,
// paperoffice_dataripper___pdf2office (pdf_render.cpp).
void register_pdf_render_pipelines(PipelineRegistry& registry, const core::Config& config);
// LibreOffice, Chromium, Calibre: office_to_pdf, paperoffice_dataripper___office2pdf,
// url_to_pdf, html_to_pdf, ebook_to_pdf (converters.cpp).
void register_converter_pipelines(PipelineRegistry& registry, const core::Config& config);
// Tesseract: paperoffice_aiocr___generate and its read-back and form rows (ocr.cpp).
void register_ocr_pipelines(PipelineRegistry& registry, const core::Config& config);
// Blank pages, barcodes and separator sheets: workflow template whitepage_scan (scan.cpp).
void register_scan_pipelines(PipelineRegistry& registry, const core::Config& config);

}  // namespace paperd::jobs
