// The .xlsx writer: see xlsx_writer.h.
#include "engines/office/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <string>

#include "core/error.h"
#include "engines/office/page_layout.h"

namespace paperd::engines::office {

namespace {

constexpr size_t kMaxCellChars = 32767;  // Excel's limit per cell
constexpr lxw_row_t kMaxRows = 1048576;

// Closes (and so writes) the workbook on every path; close() reports the result.
class Workbook {
 public:
  explicit Workbook(const std::filesystem::path& out) : path_(out.string()) {
    lxw_workbook_options opts{};
    std::string tmp = out.parent_path().string();
    opts.tmpdir = tmp.empty() ? nullptr : tmp.data();
    wb_ = workbook_new_opt(path_.c_str(), &opts);
    if (!wb_) throw core::Error::internal("libxlsxwriter cannot create " + path_);
  }
  ~Workbook() {
    if (wb_) workbook_close(wb_);
  }
  lxw_workbook* get() const { return wb_; }
  void close() {
    lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR)
      throw core::Error::internal(std::string("libxlsxwriter: ") + lxw_strerror(err));
  }

 private:
  std::string path_;
  lxw_workbook* wb_ = nullptr;
};

class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* ws, lxw_format* header, lxw_format* cell)
      : ws_(ws), header_(header), cell_(cell) {}

  void line(const std::string& text) {
    put(row_, 0, text, nullptr);
    next_row();
  }

  void table(const Table& t) {
    for (int r = 0; r < t.rows(); ++r) {
      for (int c = 0; c < t.columns(); ++c) {
        const std::string& v = t.cells[r][c];
        lxw_format* f = r == 0 ? header_ : cell_;
        if (auto num = r == 0 ? std::nullopt : cell_number(v))
          worksheet_write_number(ws_, row_, static_cast<lxw_col_t>(c), *num, f);
        else
          put(row_, c, v, f);
        widths_[c] = std::max(widths_[c], v.size());
      }
      next_row();
    }
    next_row();  // a blank row after the table
  }

  void finish() {
    for (const auto& [col, chars] : widths_) {
      double w = std::clamp(static_cast<double>(chars) * 1.1 + 2, 8.0, 60.0);
      worksheet_set_column(ws_, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), w,
                           nullptr);
    }
  }

 private:
  void put(lxw_row_t row, int col, const std::string& text, lxw_format* f) {
    if (text.empty()) {
      if (f) worksheet_write_blank(ws_, row, static_cast<lxw_col_t>(col), f);
      return;
    }
    std::string v = text.size() > kMaxCellChars ? text.substr(0, kMaxCellChars) : text;
    worksheet_write_string(ws_, row, static_cast<lxw_col_t>(col), v.c_str(), f);
  }
  void next_row() {
    if (++row_ >= kMaxRows)
      throw core::Error::input_too_large("the page has more rows than a spreadsheet holds");
  }

  lxw_worksheet* ws_;
  lxw_format* header_;
  lxw_format* cell_;
  lxw_row_t row_ = 0;
  std::map<int, size_t> widths_;
};

}  // namespace

std::optional<double> cell_number(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::string digits;
  size_t i = 0;
  if (s[0] == '-') {
    digits += '-';
    i = 1;
  }
  size_t int_digits = 0, group = 0;
  bool grouped = false, dot = false, any = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      any = true;
      if (!dot) {
        ++int_digits;
        ++group;
      }
    } else if (c == ',' && !dot && any) {
      // Thousands separators must group exactly three digits ("1,234"), else it is text.
      if (grouped ? group != 3 : group > 3) return std::nullopt;
      grouped = true;
      group = 0;
    } else if (c == '.' && !dot && any) {
      if (grouped && group != 3) return std::nullopt;
      dot = true;
      digits += '.';
    } else {
      return std::nullopt;
    }
  }
  if (!any || digits.back() == '.' || (grouped && !dot && group != 3)) return std::nullopt;
  std::string_view intpart = std::string_view(digits).substr(digits[0] == '-' ? 1 : 0);
  if (int_digits > 12 || (intpart.size() > 1 && intpart[0] == '0' && intpart[1] != '.'))
    return std::nullopt;
  return std::strtod(digits.c_str(), nullptr);
}

void write_xlsx(const std::vector<pdf::PageText>& pages, const std::filesystem::path& out) {
  if (pages.empty()) throw core::Error::invalid_request("no pages to convert");
  Workbook wb(out);
  lxw_format* header = workbook_add_format(wb.get());
  format_set_bold(header);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* cell = workbook_add_format(wb.get());
  format_set_border(cell, LXW_BORDER_THIN);
  for (size_t i = 0; i < pages.size(); ++i) {
    std::string name = "Page " + std::to_string(i + 1);
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), name.c_str());
    if (!ws) throw core::Error::internal("libxlsxwriter cannot add the sheet " + name);
    SheetWriter sheet(ws, header, cell);
    for (const auto& item : layout_page(pages[i]).items) {
      if (item.kind == LayoutItem::Kind::kTable) {
        sheet.table(item.table);
      } else {
        for (const auto& l : item.paragraph.lines) sheet.line(l);
      }
    }
    sheet.finish();
  }
  wb.close();
}

}  // namespace paperd::engines::office
