// mode=semantic and mode=hybrid of document-search (CONTRACTS §2.6 answer shape, plus
// `index_pending` and `engine`): the semantic index's best chunk per document, and its fusion
// with the full-text ranking. The snippet of a semantic hit is the start of its best chunk.
#include <unordered_map>

#include "core/error.h"
#include "services/dms/documents.h"

namespace paperd::services::dms {

namespace {

constexpr size_t kSnippetBytes = 200;
constexpr int kHybridCandidates = 200;  // of each side, before fusion
// The work of hybrid's expanded side: the chunks its alternatives may match, summed (bm25 ranks
// every match). At 100,000 chunks an expansion of common words matched most of them (p95
// 196 ms); 5,000 keeps it near the literal side's cost (bench/search.sh).
constexpr int64_t kExpandedMaxChunks = 5000;

// The start of text on one line, cut at a UTF-8 character boundary.
std::string lead_of(const std::string& text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
    if (out.size() >= kSnippetBytes && (static_cast<unsigned char>(ch) & 0xC0) != 0x80) break;
  }
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
  return out.size() >= kSnippetBytes ? out + "…" : out;
}

std::string chunk_lead(store::Connection& c, FulltextIndex& index, int64_t doc, int page) {
  return lead_of(index.chunk(c, doc, page));
}

void check_query(const std::string& query) {
  if (query.empty()) throw core::Error::invalid_request("field 'query' (or 'q') is required");
}

}  // namespace

Json DocumentStore::search_semantic(const Principal& who, const std::string& query,
                                    const SearchFilter& filter, int64_t limit, int64_t offset,
                                    double min_similarity, const QueryExpansion& expansion) {
  check_query(query);
  auto& c = db_.conn();
  SemanticResult r =
      semantic_->search(c, query, caller_scope(who, filter), min_similarity, expansion);
  std::vector<SearchHit> hits;
  for (size_t i = static_cast<size_t>(offset);
       i < r.hits.size() && hits.size() < static_cast<size_t>(limit); ++i) {
    const SemanticHit& s = r.hits[i];
    hits.push_back({s.document_id, s.page, s.score, chunk_lead(c, *index_, s.document_id, s.page)});
  }
  Json results = Json::array();
  for (Json& j : hits_json(c, hits))
    if (!j.is_null()) results.push_back(std::move(j));
  return {{"status", "success"},
          {"mode", "semantic"},
          {"query", query},
          {"total", r.hits.size()},
          {"limit", limit},
          {"offset", offset},
          {"min_similarity", min_similarity},
          {"engine", r.engine},
          {"index_pending", r.pending},
          {"query_expansion", expansion.to_json()},
          {"results", results}};
}

Json DocumentStore::search_hybrid(const Principal& who, const std::string& query,
                                  const SearchFilter& filter, int64_t limit, int64_t offset,
                                  double min_similarity, double semantic_weight,
                                  const QueryExpansion& expansion) {
  check_query(query);
  auto& c = db_.conn();
  SearchFilter scope = caller_scope(who, filter);
  // Candidates without snippets: only the page of results shown gets one.
  SearchPage text =
      index_->search(c, query, scope, kHybridCandidates, 0, "relevance", false, false);
  SemanticResult sem = semantic_->search(c, query, scope, min_similarity, expansion);
  if (sem.hits.size() > static_cast<size_t>(kHybridCandidates)) sem.hits.resize(kHybridCandidates);
  SearchPage expanded;
  const std::string expanded_query = expansion.fulltext_query(
      index_->term_chunks(c, expansion.alternatives()), kExpandedMaxChunks);
  if (!expanded_query.empty())
    expanded =
        index_->search(c, expanded_query, scope, kHybridCandidates, 0, "relevance", false, false);
  std::vector<int64_t> text_docs, sem_docs, expanded_docs;
  std::unordered_map<int64_t, const SearchHit*> expanded_hit;
  for (const auto& h : expanded.hits) {
    expanded_docs.push_back(h.document_id);
    expanded_hit.emplace(h.document_id, &h);
  }
  std::unordered_map<int64_t, const SearchHit*> text_hit;
  std::unordered_map<int64_t, const SemanticHit*> sem_hit;
  for (const auto& h : text.hits) {
    text_docs.push_back(h.document_id);
    text_hit.emplace(h.document_id, &h);
  }
  for (const auto& h : sem.hits) {
    sem_docs.push_back(h.document_id);
    sem_hit.emplace(h.document_id, &h);
  }
  std::vector<FusedHit> fused = reciprocal_rank_fusion(
      text_docs, sem_docs, semantic_weight, 60, expanded_docs, 0.5 * (1.0 - semantic_weight));
  // The page shown: each hit's snippet from the ranking that found it (the query's words, else
  // the synonym it was found by, else its chunk's start), each kind in one statement.
  std::vector<const FusedHit*> shown;
  for (size_t i = static_cast<size_t>(offset);
       i < fused.size() && shown.size() < static_cast<size_t>(limit); ++i)
    shown.push_back(&fused[i]);
  std::vector<SearchHit> hits;
  std::vector<std::pair<int64_t, int>> literal, synonym;
  std::vector<size_t> literal_at, synonym_at;
  for (const FusedHit* f : shown) {
    SearchHit h{f->document_id, 0, f->score, ""};
    if (auto t = text_hit.find(f->document_id); t != text_hit.end()) {
      h.page = t->second->page;
      literal.emplace_back(h.document_id, h.page);
      literal_at.push_back(hits.size());
    } else if (auto e = expanded_hit.find(f->document_id); e != expanded_hit.end()) {
      h.page = e->second->page;
      synonym.emplace_back(h.document_id, h.page);
      synonym_at.push_back(hits.size());
    } else {
      h.page = sem_hit.at(f->document_id)->page;
      h.snippet = chunk_lead(c, *index_, f->document_id, h.page);
    }
    hits.push_back(std::move(h));
  }
  std::vector<std::string> s = index_->snippets(c, query, literal);
  for (size_t i = 0; i < s.size(); ++i) hits[literal_at[i]].snippet = std::move(s[i]);
  s = index_->snippets(c, expanded_query, synonym);
  for (size_t i = 0; i < s.size(); ++i) hits[synonym_at[i]].snippet = std::move(s[i]);
  std::vector<Json> shaped = hits_json(c, hits);
  Json results = Json::array();
  for (size_t i = 0; i < shown.size(); ++i) {
    Json& j = shaped[i];
    if (j.is_null()) continue;
    const FusedHit& f = *shown[i];
    j["fulltext_rank"] = f.fulltext_rank ? Json(f.fulltext_rank) : Json(nullptr);
    j["semantic_rank"] = f.semantic_rank ? Json(f.semantic_rank) : Json(nullptr);
    j["expanded_rank"] = f.expanded_rank ? Json(f.expanded_rank) : Json(nullptr);
    auto sh = sem_hit.find(f.document_id);
    j["similarity"] = sh != sem_hit.end() ? Json(sh->second->score) : Json(nullptr);
    results.push_back(std::move(j));
  }
  return {{"status", "success"},
          {"mode", "hybrid"},
          {"query", query},
          {"total", fused.size()},
          {"limit", limit},
          {"offset", offset},
          {"min_similarity", min_similarity},
          {"semantic_weight", semantic_weight},
          {"engine", sem.engine},
          {"index_pending", sem.pending},
          {"query_expansion", expansion.to_json()},
          {"results", results}};
}

}  // namespace paperd::services::dms
