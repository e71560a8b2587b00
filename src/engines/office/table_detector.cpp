// Table detection from word positions; see table_detector.h.
#include "engines/office/table_detector.h"

#include <algorithm>
#include <cmath>

namespace paperd::engines::office {

namespace {

using pdf::Box;

struct Cell {
  std::string text;
  Box box;
};

struct Row {
  Box box;
  std::vector<const pdf::TextWord*> words;
  std::vector<Cell> cells;
  double height() const { return box.y1 - box.y0; }
};

Box unite(const Box& a, const Box& b) {
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

// Words grouped into visual rows: a word joins the row whose vertical band contains its centre.
std::vector<Row> group_rows(const pdf::PageText& page) {
  std::vector<const pdf::TextWord*> words;
  for (const auto& b : page.blocks)
    for (const auto& l : b.lines)
      for (const auto& w : l.words) words.push_back(&w);
  std::sort(words.begin(), words.end(), [](const auto* a, const auto* b) {
    return (a->box.y0 + a->box.y1) < (b->box.y0 + b->box.y1);
  });
  std::vector<Row> rows;
  for (const auto* w : words) {
    double cy = (w->box.y0 + w->box.y1) / 2;
    if (!rows.empty()) {
      Row& r = rows.back();
      if (cy >= r.box.y0 && cy <= r.box.y1) {
        r.words.push_back(w);
        // The band grows sideways freely but only a little vertically, so a row never swallows
        // the next line of text.
        r.box.x0 = std::min(r.box.x0, w->box.x0);
        r.box.x1 = std::max(r.box.x1, w->box.x1);
        continue;
      }
    }
    rows.push_back({w->box, {w}, {}});
  }
  for (auto& r : rows) {
    std::sort(r.words.begin(), r.words.end(),
              [](const auto* a, const auto* b) { return a->box.x0 < b->box.x0; });
    for (const auto* w : r.words) r.box = unite(r.box, w->box);
  }
  return rows;
}

void split_cells(Row& row, double gap_factor) {
  double h = 0;
  for (const auto* w : row.words) h = std::max(h, w->box.y1 - w->box.y0);
  double gap = std::max(4.0, gap_factor * h);
  for (const auto* w : row.words) {
    if (!row.cells.empty() && w->box.x0 - row.cells.back().box.x1 <= gap) {
      row.cells.back().text += " " + w->text;
      row.cells.back().box = unite(row.cells.back().box, w->box);
    } else {
      row.cells.push_back({w->text, w->box});
    }
  }
}

// Column bands of a run of rows: the union of overlapping cell extents. Fails (empty) when two
// cells of one row land in the same band, i.e. the rows do not share a column structure.
bool build_table(const std::vector<Row>& rows, size_t begin, size_t end, const TableOptions& opt,
                 Table& out) {
  std::vector<std::pair<double, double>> spans;
  for (size_t i = begin; i < end; ++i)
    for (const auto& c : rows[i].cells) spans.emplace_back(c.box.x0, c.box.x1);
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<double, double>> bands;
  for (const auto& s : spans) {
    if (!bands.empty() && s.first < bands.back().second)
      bands.back().second = std::max(bands.back().second, s.second);
    else
      bands.push_back(s);
  }
  if (static_cast<int>(bands.size()) < opt.min_columns) return false;
  size_t words = 0, cells = 0;
  for (size_t i = begin; i < end; ++i) {
    words += rows[i].words.size();
    cells += rows[i].cells.size();
  }
  if (static_cast<double>(words) > opt.max_words_per_cell * static_cast<double>(cells))
    return false;
  Table t;
  for (const auto& b : bands) {
    t.column_left.push_back(b.first);
    t.column_right.push_back(b.second);
  }
  t.box = rows[begin].box;
  for (size_t i = begin; i < end; ++i) {
    std::vector<std::string> line(bands.size());
    std::vector<bool> used(bands.size(), false);
    for (const auto& c : rows[i].cells) {
      size_t k = 0;
      while (k + 1 < bands.size() && c.box.x0 >= bands[k + 1].first) ++k;
      if (used[k]) return false;
      used[k] = true;
      line[k] = c.text;
    }
    t.cells.push_back(std::move(line));
    t.row_boxes.push_back(rows[i].box);
    t.box = unite(t.box, rows[i].box);
  }
  out = std::move(t);
  return true;
}

}  // namespace

std::vector<Table> detect_tables(const pdf::PageText& page, const TableOptions& opt) {
  std::vector<Row> rows = group_rows(page);
  for (auto& r : rows) split_cells(r, opt.cell_gap);
  std::vector<Table> tables;
  size_t i = 0;
  while (i < rows.size()) {
    if (rows[i].cells.size() < 2) {
      ++i;
      continue;
    }
    // A run of multi-cell rows without a wide vertical gap. Single-cell rows inside a run are
    // kept when the rows around them are multi-cell (a cell left empty in one row).
    size_t j = i + 1;
    while (j < rows.size()) {
      double h = std::max(rows[j - 1].height(), rows[j].height());
      if (rows[j].box.y0 - rows[j - 1].box.y1 > opt.row_gap * h) break;
      if (rows[j].cells.size() >= 2) {
        ++j;
        continue;
      }
      if (j + 1 < rows.size() && rows[j + 1].cells.size() >= 2 &&
          rows[j + 1].box.y0 - rows[j].box.y1 <= opt.row_gap * h) {
        ++j;
        continue;
      }
      break;
    }
    Table t;
    if (static_cast<int>(j - i) >= opt.min_rows && build_table(rows, i, j, opt, t)) {
      tables.push_back(std::move(t));
      i = j;
    } else {
      ++i;
    }
  }
  return tables;
}

}  // namespace paperd::engines::office
