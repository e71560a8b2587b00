// Tables found from text positions alone (no ruling lines needed): words are grouped into rows by
// their vertical position, rows into cells at wide horizontal gaps, and runs of consecutive
// multi-cell rows whose cells fall into consistent column bands become a table. Used by the
// xlsx writer (cells), the docx writer (w:tbl) and anything else that needs a grid from a PDF page.
#pragma once

#include <string>
#include <vector>

#include "engines/pdf/pdf_document.h"

namespace paperd::engines::office {

struct Table {
  pdf::Box box;                                   // union of all cells
  std::vector<double> column_left, column_right;  // x extent of each column band
  std::vector<pdf::Box> row_boxes;
  std::vector<std::vector<std::string>> cells;  // [row][column]; "" for an empty cell
  int rows() const { return static_cast<int>(cells.size()); }
  int columns() const { return static_cast<int>(column_left.size()); }
};

struct TableOptions {
  int min_rows = 2;
  int min_columns = 2;
  // A horizontal gap wider than this many times the row's text height separates two cells.
  double cell_gap = 0.8;
  // Rows further apart than this many text heights end a table.
  double row_gap = 2.5;
  // Runs whose cells average more words than this are columns of running text, not a table.
  double max_words_per_cell = 5;
};

// Tables on the page, top to bottom.
std::vector<Table> detect_tables(const pdf::PageText& page, const TableOptions& options = {});

}  // namespace paperd::engines::office
