// rotate_pages: adds to the existing /Rotate, only on the pages asked for.
#include "engines/pdf/qpdf_rotate.h"

#include <gtest/gtest.h>

#include "qpdf_test_util.h"

using namespace paperd::qpdf_test;
namespace pdf = paperd::engines::pdf;

namespace {
// /Rotate of each page as qpdf --json reports it.
std::vector<int> rotations(const fs::path& f) {
  std::vector<int> out;
  Json j = qpdf_json(f, "pages");
  Json objects = qpdf_json(f, "qpdf")["qpdf"][1];
  for (auto& page : j["pages"]) {
    Json dict = objects["obj:" + page["object"].get<std::string>()]["value"];
    out.push_back(dict.contains("/Rotate") ? dict["/Rotate"].get<int>() : 0);
  }
  return out;
}
}  // namespace

TEST(QpdfRotate, AddsToExistingRotationOnSelectedPages) {
  TempFolder t;
  text_pdf(t / "in.pdf", {"P1", "P2", "P3", "P4"});
  ASSERT_EQ(
      tool({"qpdf", (t / "in.pdf").string(), "--rotate=+90:3", (t / "pre.pdf").string()}).exit_code,
      0);
  ASSERT_EQ(rotations(t / "pre.pdf"), (std::vector<int>{0, 0, 90, 0}));
  auto doc = pdf::QpdfDocument::open(t / "pre.pdf", {});
  auto turned = pdf::rotate_pages(doc, pdf::parse_page_ranges("1,3-4", 4, "pages"), 90);
  EXPECT_EQ(turned, (std::vector<int>{1, 3, 4}));
  EXPECT_EQ(pdf::page_rotations(doc), (std::vector<int>{90, 0, 180, 90}));
  pdf::write_pdf(doc.qpdf(), t / "out.pdf", {}, "out");
  EXPECT_TRUE(qpdf_check(t / "out.pdf"));
  EXPECT_EQ(rotations(t / "out.pdf"), (std::vector<int>{90, 0, 180, 90}));
  EXPECT_EQ(page_texts(t / "out.pdf").size(), 4u);
}

TEST(QpdfRotate, AllPagesBy270AndBadAngle) {
  TempFolder t;
  auto doc = pdf::QpdfDocument::open(text_pdf(t / "in.pdf", {"P1", "P2"}), {});
  EXPECT_EQ(pdf::rotate_pages(doc, {}, 270), (std::vector<int>{1, 2}));
  pdf::write_pdf(doc.qpdf(), t / "out.pdf", {}, "out");
  EXPECT_EQ(rotations(t / "out.pdf"), (std::vector<int>{270, 270}));
  EXPECT_TRUE(qpdf_check(t / "out.pdf"));
  EXPECT_TRUE(
      throws_error([&] { pdf::rotate_pages(doc, {}, 45); }, 400, "INVALID_REQUEST", "angle"));
}
