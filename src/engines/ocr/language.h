// Languages for OCR: which Tesseract models are installed, how the API's `language` / `locale`
// values (de_DE, de, deu, German, "deu+eng") map to a Tesseract language set, and a per-page guess
// of the main language from the recognized text.
//
// Detection method: the text is split into words and each word found in a list of ~50 frequent
// function words of a language ("der", "und", "the", "les", ...) scores for that language,
// weighted by 1/(number of languages listing it); characters particular to a language (ß, ñ, ã,
// ...) add a little. The best-scoring language wins; confidence = its share of all scores, scaled
// down when there are fewer than ~8 hits of evidence.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engines/ocr/page_result.h"

namespace paperd::engines::ocr {

// $TESSDATA_PREFIX when set, otherwise Debian's /usr/share/tesseract-ocr/5/tessdata.
std::filesystem::path default_tessdata_dir();
// The recognition models in the directory (osd and equ excluded), sorted.
std::vector<std::string> installed_languages(const std::filesystem::path& tessdata);

// Maps a request's language value to a Tesseract set ("deu", "deu+eng"). Empty or "auto" gives
// "". Throws 400 INVALID_REQUEST naming the value and listing the installed languages when a
// part is unknown or not installed.
std::string resolve_languages(std::string_view requested,
                              const std::vector<std::string>& installed);
std::vector<std::string> split_languages(std::string_view set);  // "deu+eng" -> {deu, eng}

// The languages the detector knows word lists for.
const std::vector<std::string>& detectable_languages();
// Guesses among `candidates` (empty: every detectable language); code is empty when the text
// holds no evidence at all.
LanguageGuess detect_language(std::string_view text, const std::vector<std::string>& candidates);
// deu -> de; codes without a two-letter form are returned as they are.
std::string iso639_1(std::string_view tesseract_code);

}  // namespace paperd::engines::ocr
