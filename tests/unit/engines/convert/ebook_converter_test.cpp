// Calibre's ebook-convert: format detection from content, an EPUB zipped here becomes a PDF with
// its text, and a file that is no e-book is refused naming it.
#include <gtest/gtest.h>

#include <fstream>

#include "convert_fixtures.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/convert/ebook_converter.h"

namespace cv = paperd::engines::convert;
namespace fx = paperd::testing::convert;
using paperd::core::Error;
using paperd::core::TempDir;

TEST(EbookConverter, DetectsFormatsFromContent) {
  TempDir dir(std::filesystem::temp_directory_path(), "ebook-test-");
  fx::make_epub(dir.path() / "b.bin", "T", "x");
  EXPECT_EQ(cv::detect_ebook_format(dir.path() / "b.bin", "upload"), "epub");
  std::string mobi(80, '\0');
  mobi.replace(60, 8, "BOOKMOBI");
  paperd::core::atomic_write_file(dir.path() / "m", mobi);
  EXPECT_EQ(cv::detect_ebook_format(dir.path() / "m", "book.mobi"), "mobi");
  EXPECT_EQ(cv::detect_ebook_format(dir.path() / "m", "book.azw3"), "azw3");
  paperd::core::atomic_write_file(
      dir.path() / "f", "<?xml version=\"1.0\"?><FictionBook xmlns=\"x\"><body/></FictionBook>");
  EXPECT_EQ(cv::detect_ebook_format(dir.path() / "f", "f"), "fb2");
  paperd::core::atomic_write_file(dir.path() / "t", "just text");
  EXPECT_FALSE(cv::detect_ebook_format(dir.path() / "t", "t.epub"));
}

TEST(EbookConverter, EpubBecomesPdfWithItsText) {
  TempDir dir(std::filesystem::temp_directory_path(), "ebook-test-");
  fx::make_epub(dir.path() / "novel.epub", "A Test Novel",
                "It was a bright cold day and the converters were striking thirteen.");
  cv::EbookOptions o;
  o.work_dir = dir.path() / "work";
  o.timeout_ms = 90000;
  auto r = cv::ebook_to_pdf(o, dir.path() / "novel.epub", "novel.epub", dir.path() / "novel.pdf");
  EXPECT_EQ(r.format, "epub");
  std::string text = fx::pdf_text(dir.path() / "novel.pdf");
  EXPECT_NE(text.find("converters were striking thirteen"), std::string::npos) << text;
  EXPECT_NE(text.find("Chapter One"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "work"));
}

TEST(EbookConverter, NotAnEbookIsUnsupportedDocument) {
  TempDir dir(std::filesystem::temp_directory_path(), "ebook-test-");
  paperd::core::atomic_write_file(dir.path() / "fake.epub", "plain words, no zip");
  cv::EbookOptions o;
  o.work_dir = dir.path();
  try {
    cv::ebook_to_pdf(o, dir.path() / "fake.epub", "fake.epub", dir.path() / "out.pdf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "UNSUPPORTED_DOCUMENT");
    EXPECT_NE(std::string(e.what()).find("fake.epub"), std::string::npos);
  }
}
