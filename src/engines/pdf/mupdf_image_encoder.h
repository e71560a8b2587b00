// Encoding a rendered page (pdf::Raster from Document::render) as JPEG (libjpeg-turbo), PNG
// (libpng) or WebP (libwebp), with the render's dpi recorded in the file where the format has a
// field for it. Used by pdf_convert's image targets; pure functions, thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "engines/pdf/pdf_document.h"

namespace paperd::engines::pdf {

enum class ImageFormat { kJpeg, kPng, kWebp };

// "jpg"/"jpeg", "png", "webp" (case-insensitive); nullopt otherwise.
std::optional<ImageFormat> image_format_from_name(std::string_view name);
std::string_view image_extension(ImageFormat f);     // "jpg", "png", "webp"
std::string_view image_content_type(ImageFormat f);  // "image/jpeg", ...

// quality 1..100 applies to JPEG and WebP (lossy); PNG is lossless. Throws Error::internal when
// the encoder fails and Error::invalid_request for a raster it cannot hold (WebP > 16383 px).
std::string encode_raster(const Raster& raster, ImageFormat format, int quality = 85);
void write_raster(const Raster& raster, ImageFormat format, int quality,
                  const std::filesystem::path& out);

}  // namespace paperd::engines::pdf
