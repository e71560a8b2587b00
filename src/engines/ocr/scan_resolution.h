// The resolution a scanned PDF page was scanned at: the pixel size of its page-filling image over
// the page size. Rendering at that resolution instead of a fixed 300 dpi neither invents pixels
// (a 200-dpi scan rendered at 300 is 2.25x the work for Tesseract and no sharper) nor loses them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace paperd::engines::ocr {

// Per page: the dpi of its largest image when that image has the page's proportions (a scan),
// rounded, within 100..600; 0 when the page has no such image or the file cannot be read.
std::vector<int> scan_resolutions(const std::filesystem::path& pdf, const std::string& password);

}  // namespace paperd::engines::ocr
