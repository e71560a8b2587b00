#include "engines/ocr/table_detector.h"

#include <algorithm>
#include <cmath>

namespace paperd::engines::ocr {

namespace {

// Positions closer than tol are one line; returns the cluster means, sorted.
std::vector<int> cluster(std::vector<int> v, int tol) {
  std::sort(v.begin(), v.end());
  std::vector<int> out;
  int sum = 0, n = 0, last = 0;
  for (int x : v) {
    if (n && x - last > tol) out.push_back(sum / n), sum = 0, n = 0;
    sum += x, ++n, last = x;
  }
  if (n) out.push_back(sum / n);
  return out;
}

bool intersects(const Rect& a, const Rect& b, int pad) {
  return a.x - pad < b.right() && b.x - pad < a.right() && a.y - pad < b.bottom() &&
         b.y - pad < a.bottom();
}

std::vector<const OcrWord*> words_of(const std::vector<OcrBlock>& blocks) {
  std::vector<const OcrWord*> out;
  for (auto& b : blocks)
    for (auto& l : b.lines)
      for (auto& w : l.words) out.push_back(&w);
  return out;
}

void fill_cells(Table& t, const std::vector<int>& xs, const std::vector<int>& ys,
                const std::vector<const OcrWord*>& words) {
  t.rows = static_cast<int>(ys.size()) - 1;
  t.cols = static_cast<int>(xs.size()) - 1;
  t.box = {xs.front(), ys.front(), xs.back() - xs.front(), ys.back() - ys.front()};
  for (int r = 0; r < t.rows; ++r)
    for (int c = 0; c < t.cols; ++c) {
      Rect cell{xs[c], ys[r], xs[c + 1] - xs[c], ys[r + 1] - ys[r]};
      t.cells.push_back({r, c, text_inside(cell, words), cell});
    }
}

}  // namespace

bool is_rule_artifact(const std::string& text) {
  return !text.empty() && text.find_first_not_of("|[]_—-") == std::string::npos;
}

std::string text_inside(const Rect& area, const std::vector<const OcrWord*>& words) {
  std::vector<const OcrWord*> in;
  for (auto* w : words)
    if (contains_point(area, w->box.cx(), w->box.cy()) && !is_rule_artifact(w->text))
      in.push_back(w);
  // Reading order: group into lines by vertical overlap, then left to right.
  std::sort(in.begin(), in.end(), [](auto* a, auto* b) { return a->box.cy() < b->box.cy(); });
  std::vector<std::vector<const OcrWord*>> lines;
  for (auto* w : in) {
    if (!lines.empty()) {
      const OcrWord* first = lines.back().front();
      if (std::abs(w->box.cy() - first->box.cy()) < std::max(first->box.h, w->box.h) / 2 + 1) {
        lines.back().push_back(w);
        continue;
      }
    }
    lines.push_back({w});
  }
  std::string out;
  for (auto& line : lines) {
    std::sort(line.begin(), line.end(), [](auto* a, auto* b) { return a->box.x < b->box.x; });
    for (auto* w : line) out += (out.empty() ? "" : " ") + w->text;
  }
  return out;
}

std::vector<Table> find_ruled_grids(const RulingLines& lines, int dpi,
                                    const std::vector<const OcrWord*>& words) {
  // Group segments that touch (within a few pixels) into candidate grids.
  int pad = std::max(3, dpi / 60);
  std::vector<Rect> segs = lines.h_segments;
  size_t n_h = segs.size();
  segs.insert(segs.end(), lines.v_segments.begin(), lines.v_segments.end());
  std::vector<int> group(segs.size());
  for (size_t i = 0; i < segs.size(); ++i) group[i] = static_cast<int>(i);
  auto find = [&](int i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  for (size_t i = 0; i < segs.size(); ++i)
    for (size_t j = i + 1; j < segs.size(); ++j)
      if (intersects(segs[i], segs[j], pad))
        group[find(static_cast<int>(i))] = find(static_cast<int>(j));

  std::vector<Table> out;
  std::vector<bool> done(segs.size());
  int tol = std::max(4, dpi / 40);
  for (size_t i = 0; i < segs.size(); ++i) {
    int g = find(static_cast<int>(i));
    if (done[g]) continue;
    done[g] = true;
    Rect box;
    std::vector<size_t> members;
    for (size_t j = 0; j < segs.size(); ++j)
      if (find(static_cast<int>(j)) == g) members.push_back(j), box = unite(box, segs[j]);
    // Row separators span a good part of the grid's width, column separators of its height.
    std::vector<int> ys, xs;
    for (size_t j : members) {
      const Rect& s = segs[j];
      if (j < n_h && s.w >= box.w * 3 / 10) ys.push_back(s.cy());
      if (j >= n_h && s.h >= box.h * 3 / 10) xs.push_back(s.cx());
    }
    ys = cluster(ys, tol);
    xs = cluster(xs, tol);
    if (ys.size() < 2 || xs.size() < 2) continue;
    // The outer border must close the grid: its first and last lines sit at the box's edges.
    if (std::abs(ys.front() - box.y) > 2 * tol || std::abs(ys.back() - box.bottom()) > 2 * tol ||
        std::abs(xs.front() - box.x) > 2 * tol || std::abs(xs.back() - box.right()) > 2 * tol)
      continue;
    Table t;
    t.ruled = true;
    fill_cells(t, xs, ys, words);
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const Table& a, const Table& b) {
    return std::tie(a.box.y, a.box.x) < std::tie(b.box.y, b.box.x);
  });
  return out;
}

std::vector<Table> find_aligned_tables(const std::vector<OcrBlock>& blocks,
                                       const std::vector<Table>& ruled) {
  std::vector<Table> out;
  std::vector<bool> used(blocks.size());
  for (size_t seed = 0; seed < blocks.size(); ++seed) {
    const OcrBlock& b = blocks[seed];
    if (used[seed] || b.kind != BlockKind::kTable || b.lines.size() < 2) continue;
    bool covered = false;
    for (auto& t : ruled) covered |= overlap_area(t.box, b.box) * 2 > b.box.w * b.box.h;
    if (covered) continue;
    // Tesseract often cuts one table into several blocks, a column or two each: take in the
    // blocks that sit within the table's rows beside it.
    Rect region = b.box;
    std::vector<size_t> members{seed};
    int lh = b.lines.front().box.h;
    for (bool grew = true; grew;) {
      grew = false;
      for (size_t j = 0; j < blocks.size(); ++j) {
        const Rect& c = blocks[j].box;
        if (used[j] || std::find(members.begin(), members.end(), j) != members.end() ||
            blocks[j].kind == BlockKind::kImage)
          continue;
        bool within_rows = c.y >= region.y - lh && c.bottom() <= region.bottom() + lh;
        bool beside = overlap_area(c, region) * 4 < c.w * c.h;
        if (within_rows && beside) members.push_back(j), region = unite(region, c), grew = true;
      }
    }
    std::vector<const OcrWord*> words;
    for (size_t m : members)
      for (auto& l : blocks[m].lines)
        for (auto& w : l.words) words.push_back(&w);
    std::vector<int> heights;
    for (auto* w : words) heights.push_back(w->box.h);
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    int word_h = std::max(4, heights[heights.size() / 2]);
    // Columns: a gutter is a run of x that no word crosses, wider than a word is high.
    std::vector<std::pair<int, int>> spans;
    for (auto* w : words) spans.push_back({w->box.x, w->box.right()});
    std::sort(spans.begin(), spans.end());
    std::vector<int> xs{region.x};
    int reach = spans.front().second;
    for (auto& [x0, x1] : spans) {
      if (x0 - reach >= word_h) xs.push_back((x0 + reach) / 2);
      reach = std::max(reach, x1);
    }
    xs.push_back(region.right());
    // Rows: words whose centers lie within half a word height of each other, split halfway.
    std::vector<std::pair<int, int>> rows;  // top, bottom
    std::vector<const OcrWord*> by_y = words;
    std::sort(by_y.begin(), by_y.end(), [](auto* a, auto* c) { return a->box.cy() < c->box.cy(); });
    int row_cy = -1 << 30;
    for (auto* w : by_y) {
      if (w->box.cy() - row_cy > word_h / 2)
        rows.push_back({w->box.y, w->box.bottom()}), row_cy = w->box.cy();
      rows.back().first = std::min(rows.back().first, w->box.y);
      rows.back().second = std::max(rows.back().second, w->box.bottom());
    }
    std::vector<int> ys{region.y};
    for (size_t i = 1; i < rows.size(); ++i) ys.push_back((rows[i - 1].second + rows[i].first) / 2);
    ys.push_back(region.bottom());
    if (xs.size() < 3 || ys.size() < 3) continue;
    Table t;
    t.ruled = false;
    fill_cells(t, xs, ys, words);
    // Tesseract marks forms and lists as tables too; a table has at least 3 rows with 2 or more
    // filled cells, and such rows make up 80% of it.
    int full_rows = 0;
    for (int row = 0; row < t.rows; ++row) {
      int filled = 0;
      for (int c = 0; c < t.cols; ++c) filled += !t.cells[row * t.cols + c].text.empty();
      full_rows += filled >= 2;
    }
    if (full_rows < 3 || full_rows * 10 < t.rows * 8) continue;
    for (size_t m : members) used[m] = true;
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Table> detect_tables(const RulingLines& lines, int dpi,
                                 const std::vector<OcrBlock>& blocks,
                                 std::vector<Table>* all_grids) {
  auto words = words_of(blocks);
  std::vector<Table> grids = find_ruled_grids(lines, dpi, words);
  std::vector<Table> out;
  for (const auto& g : grids) {
    int filled = 0;
    for (auto& c : g.cells) filled += !c.text.empty();
    if ((g.rows >= 2 && g.cols >= 2) || (g.rows * g.cols >= 2 && filled >= 2)) out.push_back(g);
  }
  for (auto& t : find_aligned_tables(blocks, grids)) out.push_back(std::move(t));
  if (all_grids) *all_grids = std::move(grids);
  return out;
}

}  // namespace paperd::engines::ocr
