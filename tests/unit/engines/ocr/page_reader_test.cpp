// Recognition of rendered pages with known text: character error rate (CER, Levenshtein distance
// over reference length) under stated limits, quarter turns and skew found and corrected, word
// boxes on the rendered words, reading order of two columns, ruled table cells, German detected
// and read with its own model, an empty page read as empty, form fields.
//
// Thresholds: clean 300 dpi CER < 2%; 200 dpi with Gaussian noise 0.3 CER < 5%; turned and
// skewed pages CER < 3%; skew found within 1 degree.
#include "engines/ocr/page_reader.h"

#include <gtest/gtest.h>

#include "core/fs.h"
#include "engines/ocr/image_normalize.h"
#include "engines/ocr/language.h"
#include "engines/ocr/recognizer.h"
#include "engines/ocr/ruling_lines.h"
#include "ocr_fixtures.h"

namespace paperd::engines::ocr {
namespace {

namespace fx = ocr_fixtures;

class OcrPageReader : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { limit_openmp_threads(); }
  static PageReader& reader() {
    static PageReader r(default_tessdata_dir());
    return r;
  }
  PageResult read(const std::filesystem::path& image, PageOptions o = {}) {
    o.installed = installed_languages(default_tessdata_dir());
    PixPtr pix(pixRead(image.c_str()));
    EXPECT_TRUE(pix) << image;
    return reader().read(pix.get(), 0, o);
  }
  std::filesystem::path file(const std::string& name) const { return dir.path() / name; }
  core::TempDir dir{std::filesystem::temp_directory_path(), "ocr-page-"};
};

TEST_F(OcrPageReader, CleanPageAt300Dpi) {
  fx::text_page(file("clean.png"), fx::kParagraph);
  PageResult r = read(file("clean.png"));
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), r.text()), 0.02) << r.text();
  EXPECT_EQ(r.line_count(), 4);
  EXPECT_GT(r.confidence(), 0.85);
  EXPECT_EQ(r.language.code, "eng");
  EXPECT_EQ(r.rotation_applied, 0);
  EXPECT_EQ(r.skew_angle, 0);
  EXPECT_EQ(r.width, 2300);
  EXPECT_EQ(r.dpi, 300);
  EXPECT_EQ(r.source, "ocr");
}

TEST_F(OcrPageReader, NoisyPageAt200Dpi) {
  fx::text_page(file("noisy.png"), fx::kParagraph,
                {.width = 1550, .height = 600, .dpi = 200, .noise = 0.3, .x = 60, .y = 100});
  PageResult r = read(file("noisy.png"));
  EXPECT_EQ(r.dpi, 200);
  EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), r.text()), 0.05) << r.text();
}

TEST_F(OcrPageReader, QuarterTurnsAreFoundAndUndone) {
  for (int turn : {90, 180, 270}) {
    auto p = file("turn" + std::to_string(turn) + ".png");
    fx::text_page(p, fx::kParagraph, {.rotate = static_cast<double>(turn)});
    PageResult r = read(p);
    // The page was turned clockwise by `turn`; turning it by 360 - turn makes it upright.
    EXPECT_EQ(r.rotation_applied, (360 - turn) % 360) << turn;
    EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), r.text()), 0.03) << turn << ": " << r.text();
    // Boxes refer to the image as sent: after a clockwise quarter turn the first line runs
    // down the right side.
    const OcrWord* first = r.words().front();
    if (turn == 90) {
      EXPECT_GT(first->box.x, r.width / 2);
      EXPECT_GT(first->box.h, first->box.w);
    } else if (turn == 180) {
      EXPECT_GT(first->box.y, r.height / 2);
    } else {
      EXPECT_LT(first->box.x, r.width / 2);
      EXPECT_GT(first->box.y, r.height / 2);
    }
  }
}

TEST_F(OcrPageReader, SkewIsMeasuredAndCorrected) {
  for (double angle : {7.0, -10.0}) {
    auto p = file("skew.png");
    fx::text_page(p, fx::kParagraph, {.rotate = angle});
    PageResult r = read(p);
    EXPECT_NEAR(r.skew_angle, angle, 1.0);
    EXPECT_EQ(r.rotation_applied, 0);
    EXPECT_LT(fx::cer(fx::joined(fx::kParagraph), r.text()), 0.03) << angle << ": " << r.text();
  }
}

TEST_F(OcrPageReader, WordBoxesLieOnTheRenderedWords) {
  // Three words at known places; their true ink boxes come from rendering each alone.
  struct Placed {
    std::string word;
    int x, y;
  } words[] = {{"Invoice", 150, 200}, {"Number", 800, 200}, {"Total", 150, 500}};
  const std::vector<std::string> page = {
      "-size",      "1600x700", "xc:white", "-font", image_fixtures::kDejaVuSans,
      "-pointsize", "48",       "-fill",    "black"};
  std::vector<std::string> all = page;
  for (const auto& w : words) {
    std::vector<std::string> one = page;
    for (auto* v : {&all, &one})
      v->insert(v->end(),
                {"-annotate", "+" + std::to_string(w.x) + "+" + std::to_string(w.y), w.word});
    fx::run(image_fixtures::magick(one, file(w.word + ".png"), image_fixtures::Pixels::kGray8));
  }
  fx::run(image_fixtures::magick(all, file("words.png"), image_fixtures::Pixels::kGray8));
  PageResult r = read(file("words.png"), {.mode = OcrMode::kGrid});
  for (const auto& w : words) {
    PixPtr alone(pixRead(file(w.word + ".png").c_str()));
    Rect truth;
    for (const auto& c : components(to_binary(alone.get()).get())) truth = unite(truth, c);
    const OcrWord* found = nullptr;
    for (auto* ow : r.words())
      if (ow->text == w.word) found = ow;
    ASSERT_TRUE(found) << w.word << " not read: " << r.text();
    double iou =
        static_cast<double>(overlap_area(truth, found->box)) /
        (truth.w * truth.h + found->box.w * found->box.h - overlap_area(truth, found->box));
    EXPECT_GT(iou, 0.8) << w.word << " truth " << truth.x << "," << truth.y << " " << truth.w << "x"
                        << truth.h << " found " << found->box.x << "," << found->box.y << " "
                        << found->box.w << "x" << found->box.h;
  }
}

TEST_F(OcrPageReader, TwoColumnsReadColumnByColumn) {
  fx::columns_page(file("columns.png"), fx::kLeftColumn, fx::kRightColumn);
  PageResult r = read(file("columns.png"), {.mode = OcrMode::kComplete});
  std::string text = r.text();
  EXPECT_LT(fx::cer(fx::joined(fx::kLeftColumn) + "\n" + fx::joined(fx::kRightColumn), text), 0.03)
      << text;
  EXPECT_LT(text.find("neighbours"), text.find("second column")) << text;
  int left = 0, right = 0;
  for (const auto& l : r.layout)
    if (l.type == LayoutType::kParagraph) (l.box.right() < 1000 ? left : right)++;
  EXPECT_GE(left, 1);
  EXPECT_GE(right, 1);
}

TEST_F(OcrPageReader, RuledTableCellsLandInTheirCells) {
  fx::table_page(file("table.png"));
  PageResult r = read(file("table.png"), {.mode = OcrMode::kComplete});
  ASSERT_EQ(r.tables.size(), 1u) << r.text();
  const Table& t = r.tables[0];
  EXPECT_EQ(t.rows, 4);
  EXPECT_EQ(t.cols, 3);
  EXPECT_EQ(t.grid(), fx::kTable);
  EXPECT_NEAR(t.box.x, 100, 4);
  EXPECT_NEAR(t.box.y, 160, 4);
  EXPECT_NEAR(t.box.right(), 1500, 4);
  EXPECT_NEAR(t.box.bottom(), 640, 4);
  // Cell (2, 1) is the one with "7".
  EXPECT_EQ(t.cells[2 * 3 + 1].text, "7");
  EXPECT_NEAR(t.cells[2 * 3 + 1].box.x, 600, 4);
  bool table_region = false, paragraph = false;
  for (const auto& l : r.layout) {
    table_region |= l.type == LayoutType::kTable;
    paragraph |= l.type == LayoutType::kParagraph && l.text.find("spring") != std::string::npos;
  }
  EXPECT_TRUE(table_region);
  EXPECT_TRUE(paragraph);
}

TEST_F(OcrPageReader, BorderlessTableFromAlignment) {
  fx::aligned_table_page(file("aligned.png"));
  PageResult r = read(file("aligned.png"), {.mode = OcrMode::kComplete});
  ASSERT_EQ(r.tables.size(), 1u) << r.text();
  const Table& t = r.tables[0];
  EXPECT_FALSE(t.ruled);
  ASSERT_EQ(t.rows, 5);
  ASSERT_EQ(t.cols, 4);
  auto grid = t.grid();
  // Tesseract reads "Q1" as "Ql" at this size; compare the numbers and names exactly.
  for (int row = 1; row < 5; ++row) EXPECT_EQ(grid[row], fx::kAlignedTable[row]) << row;
  EXPECT_EQ(grid[0][0], "Region");
  // Cells of an aligned table reach from gutter to gutter; "1,200" starts at x = 700.
  EXPECT_LT(t.cells[1 * 4 + 1].box.x, 700);
  EXPECT_GT(t.cells[1 * 4 + 1].box.right(), 800);
  EXPECT_LT(t.cells[1 * 4 + 1].box.right(), 1100);
}

TEST_F(OcrPageReader, GermanIsDetectedAndReadWithItsModel) {
  fx::text_page(file("de.png"), fx::kGerman, {.width = 2000});
  PageResult r = read(file("de.png"));
  EXPECT_EQ(r.language.code, "deu");
  EXPECT_EQ(r.ocr_language, "deu");
  EXPECT_GT(r.language.confidence, 0.5);
  EXPECT_LT(fx::cer(fx::joined(fx::kGerman), r.text()), 0.03) << r.text();
  EXPECT_NE(r.text().find("überprüfen"), std::string::npos) << r.text();
  // A requested language is used as it is.
  PageResult asked = read(file("de.png"), {.language = "deu+eng"});
  EXPECT_EQ(asked.ocr_language, "deu+eng");
  EXPECT_EQ(asked.language.code, "deu");
}

TEST_F(OcrPageReader, EmptyPageIsAnHonestEmptyResult) {
  fx::run(image_fixtures::magick(
      {"-size", "2300x900", "xc:white", "-attenuate", "0.3", "+noise", "Gaussian"},
      file("blank.png"), image_fixtures::Pixels::kGray8));
  PageResult r = read(file("blank.png"), {.mode = OcrMode::kComplete});
  EXPECT_EQ(r.text(), "");
  EXPECT_EQ(r.confidence(), 0);
  EXPECT_EQ(r.line_count(), 0);
  EXPECT_TRUE(r.tables.empty());
}

TEST_F(OcrPageReader, FormFieldsCheckboxesAndSignatures) {
  fx::form_page(file("form.png"));
  PageResult r = read(file("form.png"), {.form_fields = true});
  auto field = [&](const std::string& key, const std::string& type) -> const FormField* {
    for (const auto& f : r.fields)
      if (f.key == key && f.type == type) return &f;
    return nullptr;
  };
  ASSERT_TRUE(field("Name", "text"));
  EXPECT_EQ(field("Name", "text")->value, "John Smith");
  EXPECT_GT(field("Name", "text")->confidence, 0.8);
  ASSERT_TRUE(field("Date", "text"));
  EXPECT_EQ(field("Date", "text")->value, "2024-05-01");
  ASSERT_TRUE(field("City", "text"));
  EXPECT_EQ(field("City", "text")->value, "Berlin");
  ASSERT_TRUE(field("Married", "checkbox"));
  EXPECT_EQ(field("Married", "checkbox")->value, "checked");
  ASSERT_TRUE(field("Single", "checkbox"));
  EXPECT_EQ(field("Single", "checkbox")->value, "unchecked");
  ASSERT_TRUE(field("Signature", "signature"));
  EXPECT_EQ(field("Signature", "signature")->value, "present");
  ASSERT_TRUE(field("Unterschrift", "signature"));
  EXPECT_EQ(field("Unterschrift", "signature")->value, "absent");
  EXPECT_FALSE(field("Signature", "text"));
}

TEST_F(OcrPageReader, HandwritingLikeScriptIsMeasured) {
  // Tesseract has no handwriting model; this states what it achieves on irregular script.
  std::vector<std::string> lines = {"Name: Maria Schneider", "Street: Lindenallee 12, Hamburg",
                                    "Please call me back next week."};
  fx::script_page(file("script.png"), lines);
  PageResult r = read(file("script.png"), {.form_fields = true});
  double cer = fx::cer(fx::joined(lines), r.text());
  std::printf("[ MEASURED ] script (handwriting stand-in) CER %.1f%%, mean confidence %.2f\n",
              cer * 100, r.confidence());
  RecordProperty("script_cer_percent", static_cast<int>(cer * 100 + 0.5));
  EXPECT_LT(cer, 0.35) << r.text();
  bool name = false;
  for (const auto& f : r.fields)
    if (f.key == "Name") {
      name = true;
      EXPECT_LT(fx::cer("Maria Schneider", f.value), 0.35) << f.value;
      EXPECT_LT(f.confidence, 0.95);  // honest: Tesseract is less sure of script
    }
  EXPECT_TRUE(name) << r.text();
}

}  // namespace
}  // namespace paperd::engines::ocr
