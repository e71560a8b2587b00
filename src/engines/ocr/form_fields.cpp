#include "engines/ocr/form_fields.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "engines/ocr/table_detector.h"

namespace paperd::engines::ocr {

namespace {

constexpr double kCheckedFill = 0.10;
constexpr double kSignatureInk = 0.003;

struct Checkbox {
  Rect box;
  double fill = 0;
};

int ink_in(Pix* binary, const Rect& r) {
  if (r.empty()) return 0;
  BoxPtr b(boxCreate(r.x, r.y, r.w, r.h));
  l_int32 n = 0;
  pixCountPixelsInRect(binary, b.get(), &n, nullptr);
  return n;
}

double ratio_in(Pix* binary, const Rect& r) {
  return r.empty() ? 0 : static_cast<double>(ink_in(binary, r)) / (static_cast<double>(r.w) * r.h);
}

Rect clamp(Rect r, int w, int h) {
  int x0 = std::clamp(r.x, 0, w), y0 = std::clamp(r.y, 0, h);
  int x1 = std::clamp(r.right(), 0, w), y1 = std::clamp(r.bottom(), 0, h);
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

std::vector<Checkbox> find_checkboxes(Pix* binary, int dpi) {
  std::vector<Checkbox> out;
  int min_side = std::max(8, dpi * 8 / 100), max_side = dpi * 35 / 100;
  for (const auto& r : components(binary)) {
    if (r.w < min_side || r.h < min_side || r.w > max_side || r.h > max_side) continue;
    if (r.w * 4 < r.h * 3 || r.h * 4 < r.w * 3) continue;
    // A box: along each side, within its outer sixth, some row (column) is mostly inked; this
    // holds for any stroke width and rejects round shapes (O, 0) whose corners are empty.
    int band = std::max(2, std::min(r.w, r.h) / 6);
    auto side_inked = [&](bool horizontal, int from, int step) {
      for (int i = 0; i < band; ++i) {
        int at = from + i * step;
        Rect run = horizontal ? Rect{r.x, at, r.w, 1} : Rect{at, r.y, 1, r.h};
        if (ratio_in(binary, run) >= 0.75) return true;
      }
      return false;
    };
    if (!side_inked(true, r.y, 1) || !side_inked(true, r.bottom() - 1, -1) ||
        !side_inked(false, r.x, 1) || !side_inked(false, r.right() - 1, -1))
      continue;
    int t = std::max(2, std::min(r.w, r.h) / 8);
    int inset = std::max(t + 1, std::min(r.w, r.h) / 6);
    Rect inside{r.x + inset, r.y + inset, r.w - 2 * inset, r.h - 2 * inset};
    if (inside.empty()) continue;
    out.push_back({r, ratio_in(binary, inside)});
  }
  return out;
}

bool overlaps_any(const Rect& r, const std::vector<Checkbox>& boxes) {
  for (auto& b : boxes)
    if (overlap_area(r, b.box) * 3 > std::min(r.w * r.h, b.box.w * b.box.h)) return true;
  return false;
}

std::string join(const std::vector<const OcrWord*>& words, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + words[i]->text;
  return out;
}

double mean_conf(const std::vector<const OcrWord*>& words, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; ++i) s += words[i]->confidence;
  return to > from ? s / (to - from) : 0;
}

Rect span(const std::vector<const OcrWord*>& words, size_t from, size_t to) {
  Rect r;
  for (size_t i = from; i < to; ++i) r = unite(r, words[i]->box);
  return r;
}

std::string strip_colon(std::string s) {
  while (!s.empty() && (s.back() == ':' || s.back() == ' ')) s.pop_back();
  return s;
}

bool ends_with_colon(const std::string& s) {
  return s.size() > 1 && s.back() == ':';
}

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_signature_label(const std::string& word) {
  static const std::vector<std::string> stems = {
      "signature", "signed", "sign",       "unterschrift", "unterschrieben",
      "signatur",  "firma",  "assinatura", "handtekening", "firmado"};
  std::string w = lower_ascii(strip_colon(word));
  for (auto& s : stems)
    if (w == s || (s.size() > 5 && w.starts_with(s))) return true;
  return false;
}

struct LineRef {
  const OcrLine* line;
  std::vector<const OcrWord*> words;  // without checkbox artifacts
};

}  // namespace

std::vector<FormField> extract_form_fields(Pix* binary, const RulingLines& lines,
                                           const std::vector<Table>& grids,
                                           const std::vector<OcrBlock>& blocks, int dpi) {
  std::vector<FormField> out;
  const int page_w = pixGetWidth(binary), page_h = pixGetHeight(binary);
  auto boxes = find_checkboxes(binary, dpi);

  std::vector<LineRef> all_lines;
  std::vector<const OcrWord*> all_words;
  for (const auto& b : blocks)
    for (const auto& l : b.lines) {
      LineRef ref{&l, {}};
      for (const auto& w : l.words)
        if (!overlaps_any(w.box, boxes) && !is_rule_artifact(w.text)) ref.words.push_back(&w);
      for (auto* w : ref.words) all_words.push_back(w);
      if (!ref.words.empty()) all_lines.push_back(std::move(ref));
    }
  std::vector<Rect> cells;
  for (const auto& g : grids)
    for (const auto& c : g.cells) cells.push_back(c.box);
  auto cell_of = [&](const Rect& r) -> const Rect* {
    for (const auto& c : cells)
      if (contains_point(c, r.cx(), r.cy())) return &c;
    return nullptr;
  };
  std::set<std::string> keys_seen;

  // Checkboxes, labelled by the nearest words on their line.
  for (const auto& cb : boxes) {
    int s = std::max(cb.box.w, cb.box.h);
    std::vector<const OcrWord*> right, left;
    for (auto* w : all_words) {
      if (std::abs(w->box.cy() - cb.box.cy()) > s) continue;
      if (w->box.x >= cb.box.right() && w->box.x - cb.box.right() < 12 * s) right.push_back(w);
      if (w->box.right() <= cb.box.x && cb.box.x - w->box.right() < 12 * s) left.push_back(w);
    }
    auto by_x = [](auto* a, auto* b) { return a->box.x < b->box.x; };
    std::sort(right.begin(), right.end(), by_x);
    std::sort(left.begin(), left.end(), by_x);
    // Stop at a wide gap or at the next checkbox.
    std::vector<const OcrWord*> label;
    int edge = cb.box.right();
    for (auto* w : right) {
      if (w->box.x - edge > 2 * s) break;
      bool other_box = false;
      for (auto& o : boxes)
        other_box |= &o != &cb && o.box.x >= edge && o.box.x < w->box.x &&
                     std::abs(o.box.cy() - cb.box.cy()) < s;
      if (other_box) break;
      label.push_back(w), edge = w->box.right();
    }
    if (label.empty()) {
      edge = cb.box.x;
      for (auto it = left.rbegin(); it != left.rend() && edge - (*it)->box.right() <= 2 * s; ++it)
        label.insert(label.begin(), *it), edge = (*it)->box.x;
    }
    bool checked = cb.fill > kCheckedFill;
    double margin = checked ? (cb.fill - kCheckedFill) * 4 : (kCheckedFill - cb.fill) * 8;
    FormField f{strip_colon(join(label, 0, label.size())),
                checked ? "checked" : "unchecked",
                "checkbox",
                std::min(1.0, 0.5 + margin),
                span(label, 0, label.size()),
                cb.box};
    out.push_back(std::move(f));
  }

  // "Key: value" on one line; an empty value is looked for in the box to the right or the line
  // below.
  for (size_t li = 0; li < all_lines.size(); ++li) {
    const auto& words = all_lines[li].words;
    int lh = std::max(1, all_lines[li].line->box.h);
    std::vector<size_t> keys;
    for (size_t i = 0; i < words.size(); ++i)
      if (ends_with_colon(words[i]->text)) keys.push_back(i);
    auto gap = [&](size_t i) { return words[i]->box.x - words[i - 1]->box.right(); };
    const int wide = lh * 3 / 2;
    // Where each key starts: the first key reaches back over up to 3 close words; a later key
    // starts after the last wide gap behind it (else it is its colon word alone), so the words
    // in between stay the previous value.
    std::vector<size_t> key_start(keys.size());
    for (size_t k = 0; k < keys.size(); ++k) {
      size_t s = keys[k];
      if (k == 0) {
        while (s > 0 && keys[k] - s < 3 && gap(s) < wide) --s;
      } else {
        for (size_t i = keys[k]; i > keys[k - 1] + 2 && keys[k] - i < 3; --i)
          if (gap(i) >= wide) {
            s = i;
            break;
          }
      }
      key_start[k] = s;
    }
    for (size_t k = 0; k < keys.size(); ++k) {
      size_t start = key_start[k], end = keys[k];
      size_t value_end = k + 1 < keys.size() ? key_start[k + 1] : words.size();
      FormField f;
      f.key = strip_colon(join(words, start, end + 1));
      f.key_box = span(words, start, end + 1);
      f.type = "text";
      if (value_end > end + 1) {
        f.value = join(words, end + 1, value_end);
        f.value_box = span(words, end + 1, value_end);
        f.confidence = mean_conf(words, start, value_end);
      } else {
        // A ruled box right of the key, or the next line below it.
        const Rect* cell = nullptr;
        for (const auto& c : cells)
          if (c.x >= f.key_box.right() - lh && c.x - f.key_box.right() < 2 * lh &&
              std::abs(c.cy() - f.key_box.cy()) < c.h / 2 + lh / 2 && c.w > lh)
            cell = &c;
        std::vector<const OcrWord*> vw;
        if (cell) {
          for (auto* w : all_words)
            if (contains_point(*cell, w->box.cx(), w->box.cy())) vw.push_back(w);
        } else if (li + 1 < all_lines.size()) {
          for (size_t lj = li + 1; lj < all_lines.size(); ++lj) {
            const auto& below = all_lines[lj];
            int gap = below.line->box.y - all_lines[li].line->box.bottom();
            if (gap < -lh / 2 || gap > lh * 3 / 2) continue;
            if (below.words.front()->box.x > f.key_box.right() + 4 * lh ||
                below.words.back()->box.right() < f.key_box.x)
              continue;
            bool has_key = false;
            for (auto* w : below.words) has_key |= ends_with_colon(w->text);
            if (!has_key) vw = below.words;
            break;
          }
        }
        f.value = join(vw, 0, vw.size());
        f.value_box = span(vw, 0, vw.size());
        std::vector<const OcrWord*> both(words.begin() + start, words.begin() + end + 1);
        both.insert(both.end(), vw.begin(), vw.end());
        f.confidence = mean_conf(both, 0, both.size());
      }
      // A signature label's "value" is the signature read as text; the signature check covers it.
      if (f.key.empty() || is_signature_label(words[end]->text)) continue;
      keys_seen.insert(lower_ascii(f.key));
      out.push_back(std::move(f));
    }
  }

  // A label without a colon directly left of a ruled box with text in it.
  for (const auto& ref : all_lines) {
    const Rect& lb = ref.line->box;
    if (cell_of(lb)) continue;
    std::string key = strip_colon(join(ref.words, 0, ref.words.size()));
    if (key.empty() || keys_seen.count(lower_ascii(key)) || ref.words.size() > 5) continue;
    for (const auto& c : cells) {
      bool right_of = c.x >= lb.right() - lb.h / 2 && c.x - lb.right() < 3 * lb.h &&
                      std::abs(c.cy() - lb.cy()) < c.h / 2;
      if (!right_of) continue;
      std::string value = text_inside(c, all_words);
      if (value.empty()) continue;
      std::vector<const OcrWord*> vw;
      for (auto* w : all_words)
        if (contains_point(c, w->box.cx(), w->box.cy())) vw.push_back(w);
      std::vector<const OcrWord*> both = ref.words;
      both.insert(both.end(), vw.begin(), vw.end());
      out.push_back({key, value, "text", mean_conf(both, 0, both.size()), lb, c});
      keys_seen.insert(lower_ascii(key));
      break;
    }
  }

  // Signatures: ink near a signature label once lines and printed words are taken away.
  PixPtr ink(pixCopy(nullptr, binary));
  if (lines.horizontal) pixSubtract(ink.get(), ink.get(), lines.horizontal.get());
  if (lines.vertical) pixSubtract(ink.get(), ink.get(), lines.vertical.get());
  for (auto* w : all_words)
    if (w->confidence >= 0.6 && !is_signature_label(w->text)) {
      BoxPtr b(boxCreate(w->box.x, w->box.y, w->box.w, w->box.h));
      pixClearInRect(ink.get(), b.get());
    }
  for (const auto& ref : all_lines)
    for (auto* w : ref.words) {
      if (!is_signature_label(w->text)) continue;
      BoxPtr label(boxCreate(w->box.x, w->box.y, w->box.w, w->box.h));
      pixClearInRect(ink.get(), label.get());
      int lh = std::max(w->box.h, dpi / 12);
      Rect right =
          clamp({w->box.right() + lh / 3, w->box.cy() - 2 * lh, 14 * lh, 3 * lh}, page_w, page_h);
      Rect above =
          clamp({w->box.x - 2 * lh, w->box.y - 4 * lh, w->box.w + 10 * lh, 4 * lh - lh / 5}, page_w,
                page_h);
      FormField best{strip_colon(w->text), "absent", "signature", 0, w->box, {}};
      double best_ratio = 0;
      for (const Rect& region : {right, above}) {
        if (region.empty()) continue;
        BoxPtr b(boxCreate(region.x, region.y, region.w, region.h));
        PixPtr clip(pixClipRectangle(ink.get(), b.get(), nullptr));
        if (!clip) continue;
        int widest = 0;
        Rect strokes;
        for (const auto& c : components(clip.get()))
          if (c.w * c.h >= 4) {
            widest = std::max(widest, c.w);
            strokes = unite(strokes, {c.x + region.x, c.y + region.y, c.w, c.h});
          }
        double ratio = ratio_in(ink.get(), region);
        if (ratio > best_ratio && widest >= dpi / 4) best_ratio = ratio, best.value_box = strokes;
      }
      bool present = best_ratio >= kSignatureInk;
      best.value = present ? "present" : "absent";
      best.confidence =
          present ? std::min(1.0, 0.5 + best_ratio / (4 * kSignatureInk))
                  : std::min(1.0, 0.5 + (kSignatureInk - best_ratio) / (2 * kSignatureInk));
      if (!present) best.value_box = {};
      out.push_back(std::move(best));
    }
  return out;
}

}  // namespace paperd::engines::ocr
