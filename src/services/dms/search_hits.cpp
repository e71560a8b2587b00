// The hits of a full-text query inside one document, with a rectangle per hit for a viewer to
// highlight: the words of each page with their boxes (a PDF's text layer read in a child process,
// or the word boxes an AI-DMS OCR job left in document_page_words) matched as the index matches
// them, through the index's own tokenizer (store::FtsTerms: folding, stems, compound parts). A
// phrase's hit is the union box, per line, of its consecutive words. Pages whose text has no
// geometry (text and office files, OCR'd pages stored before word boxes were kept) answer their
// hit count with rectangles_unavailable.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/fs.h"
#include "engines/inspect/page_words.h"
#include "services/dms/documents.h"
#include "services/dms/inspector_client.h"
#include "store/fts_tokenizer.h"

namespace paperd::services::dms {

namespace {

using core::Error;
using engines::inspect::PageWord;
using engines::inspect::PageWords;
using store::FtsToken;

constexpr size_t kMaxQueryChars = 500;

struct Phrase {
  std::vector<FtsToken> tokens;
  bool prefix = false;  // the last token is a prefix (FTS5: the plain word only)
};

// The query's words and phrases to look for (exclusions are not hits).
std::vector<Phrase> phrases_of(store::FtsTerms& terms, const std::string& query) {
  std::vector<Phrase> out;
  for (const QueryTerm& t : parse_query(query)) {
    if (t.op || t.negated) continue;
    Phrase p{terms.tokens(t.text, true), t.prefix};
    if (!p.tokens.empty()) out.push_back(std::move(p));
  }
  return out;
}

// A document token and the word (index into the page's words, or the token's own index for
// text without words) it belongs to.
struct DocToken {
  FtsToken token;
  size_t word = 0;
};

// Every distinct [first word, last word] range where a phrase matches, in text order.
std::set<std::pair<size_t, size_t>> matches(const std::vector<DocToken>& doc,
                                            const std::vector<Phrase>& phrases) {
  std::set<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < doc.size(); ++i)
    for (const Phrase& p : phrases) {
      size_t n = p.tokens.size();
      if (i + n > doc.size()) continue;
      bool all = true;
      for (size_t k = 0; k < n && all; ++k)
        all = store::fts_matches(p.tokens[k], doc[i + k].token, p.prefix && k + 1 == n);
      if (all) out.insert({doc[i].word, doc[i + n - 1].word});
    }
  return out;
}

std::vector<DocToken> text_tokens(store::FtsTerms& terms, const std::string& text) {
  std::vector<DocToken> out;
  for (auto& t : terms.tokens(text, false)) out.push_back({std::move(t), out.size()});
  return out;
}

double round_to(double v, double f) {
  return std::round(v * f) / f;
}

Json page_json(const PageWords& page, const std::vector<Json>& hits) {
  return {{"page", page.page},
          {"width", round_to(page.width, 100)},
          {"height", round_to(page.height, 100)},
          {"unit", page.unit},
          {"hit_count", hits.size()},
          {"hits", hits}};
}

// The rectangles of one page's matches: per match and line the union of its words' boxes.
std::vector<Json> page_hits(store::FtsTerms& terms, const PageWords& page,
                            const std::vector<Phrase>& phrases) {
  std::vector<DocToken> doc;
  for (size_t w = 0; w < page.words.size(); ++w)
    for (auto& t : terms.tokens(page.words[w].text, false)) doc.push_back({std::move(t), w});
  std::vector<Json> out;
  for (auto [first, last] : matches(doc, phrases)) {
    std::map<int, std::vector<const PageWord*>> lines;
    for (size_t w = first; w <= last; ++w) lines[page.words[w].line].push_back(&page.words[w]);
    for (auto& [line, words] : lines) {
      PageWord box = *words.front();
      double conf = box.confidence;
      for (const PageWord* w : words) {
        if (w == words.front()) continue;
        box.text += " " + w->text;
        box.x0 = std::min(box.x0, w->x0);
        box.y0 = std::min(box.y0, w->y0);
        box.x1 = std::max(box.x1, w->x1);
        box.y1 = std::max(box.y1, w->y1);
        conf = std::min(conf, w->confidence);
      }
      Json hit = {{"text", box.text},
                  {"x", round_to(box.x0, 100)},
                  {"y", round_to(box.y0, 100)},
                  {"width", round_to(box.x1 - box.x0, 100)},
                  {"height", round_to(box.y1 - box.y0, 100)}};
      if (page.width > 0 && page.height > 0) {
        hit["x_rel"] = round_to(box.x0 / page.width, 1e5);
        hit["y_rel"] = round_to(box.y0 / page.height, 1e5);
        hit["w_rel"] = round_to((box.x1 - box.x0) / page.width, 1e5);
        hit["h_rel"] = round_to((box.y1 - box.y0) / page.height, 1e5);
      }
      if (conf >= 0) hit["confidence"] = round_to(conf, 1e4);
      out.push_back(std::move(hit));
    }
  }
  return out;
}

}  // namespace

Json DocumentStore::search_hits(const Principal& who, const std::string& ref,
                                const std::string& query, std::optional<int> only_page) {
  if (query.empty()) throw Error::invalid_request("field 'query' (the words to find) is required");
  if (query.size() > kMaxQueryChars)
    throw Error::invalid_request(
        fmt::format("field 'query' is {} characters; at most {}", query.size(), kMaxQueryChars));
  to_fts5_query(query);  // the search language's own checks (INVALID_QUERY)
  auto& c = db_.conn();
  DocumentRow d = with_current_text(c, who, ref);
  auto rows = c.query(
      "SELECT page, text, source FROM document_pages WHERE document_id = ? ORDER BY page", {d.id});
  int64_t last_page = std::max<int64_t>(d.total_pages, rows.empty() ? 0 : rows.back().i64("page"));
  if (only_page && (*only_page < 1 || *only_page > last_page))
    throw Error::invalid_request(fmt::format("field 'page' must be 1..{} (document '{}' has {} {})",
                                             std::max<int64_t>(1, last_page), d.pofid, last_page,
                                             last_page == 1 ? "page" : "pages"));

  store::FtsTerms terms;
  std::vector<Phrase> phrases = phrases_of(terms, query);
  // Pages whose text matches, and where their words with boxes come from.
  struct Candidate {
    int page = 0;
    size_t text_hits = 0;
    std::optional<PageWords> words;
  };
  std::vector<Candidate> found;
  std::vector<int> from_pdf;
  bool pdf = d.mime_type == "application/pdf";
  for (auto& r : rows) {
    int p = static_cast<int>(r.i64("page"));
    if (only_page && p != *only_page) continue;
    size_t n = matches(text_tokens(terms, r.text("text")), phrases).size();
    if (n == 0) continue;
    Candidate cand{p, n, std::nullopt};
    if (auto w = c.query_one(
            "SELECT width, height, unit, words FROM document_page_words WHERE document_id = ? "
            "AND page = ?",
            {d.id, int64_t{p}})) {
      Json words = Json::parse(w->text("words"), nullptr, false);
      cand.words = engines::inspect::page_words_from_json({{"page", p},
                                                           {"width", w->f64("width")},
                                                           {"height", w->f64("height")},
                                                           {"unit", w->text("unit")},
                                                           {"words", words}});
    } else if (pdf && r.text("source") == "text_layer") {
      from_pdf.push_back(p);
    }
    found.push_back(std::move(cand));
  }
  if (!from_pdf.empty()) {
    // The server never parses a client's file itself: the words come from a child process.
    core::TempDir dir(config_.tmp_dir(), "hits-");
    auto file = dir.path() / "document.pdf";
    blobs_.get_to_file(d.blob_id, file, false);
    for (auto& w : read_page_words(file, d.file_name, from_pdf))
      for (auto& cand : found)
        if (cand.page == w.page) cand.words = std::move(w);
  }

  Json pages = Json::array();
  size_t total = 0;
  bool unavailable = false;
  for (auto& cand : found) {
    if (!cand.words) {
      unavailable = true;
      total += cand.text_hits;
      pages.push_back({{"page", cand.page},
                       {"width", nullptr},
                       {"height", nullptr},
                       {"unit", nullptr},
                       {"hit_count", cand.text_hits},
                       {"hits", Json::array()},
                       {"rectangles_unavailable", true}});
      continue;
    }
    std::vector<Json> hits = page_hits(terms, *cand.words, phrases);
    if (hits.empty()) continue;
    total += hits.size();
    pages.push_back(page_json(*cand.words, hits));
  }
  Json out = {{"status", "success"},
              {"pofid", d.pofid},
              {"documents_id", d.id},
              {"query", query},
              {"total_hits", total},
              {"total_pages", d.total_pages},
              {"text_source", d.text_source.empty() ? Json(nullptr) : Json(d.text_source)},
              {"pages", pages}};
  if (only_page) out["page"] = *only_page;
  if (unavailable) out["rectangles_unavailable"] = true;
  if (d.ai_dms_status == "queued" || d.ai_dms_status == "processing")
    out["ai_dms_status"] = d.ai_dms_status;
  return out;
}

}  // namespace paperd::services::dms
