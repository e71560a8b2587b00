// Tells what an input file is from its first bytes (never from its name or the declared content
// type, which clients get wrong): a PDF or one of the raster formats the OCR engine decodes.
#pragma once

#include <filesystem>
#include <string_view>

namespace paperd::engines::ocr {

enum class InputFormat { kUnknown, kPdf, kJpeg, kPng, kTiff, kWebp, kBmp };

InputFormat sniff_format(const std::filesystem::path& file);
InputFormat sniff_bytes(std::string_view first_bytes);
std::string_view format_name(InputFormat f);
// Throws 400 UNSUPPORTED_FORMAT naming the file and the formats accepted, unless f is known.
void require_supported(InputFormat f, std::string_view filename);

}  // namespace paperd::engines::ocr
