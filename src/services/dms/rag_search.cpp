// mode=rag of document-search (CONTRACTS §2.6: results carry chunk_text and source_type, the top
// level a `context`): the passages that best answer a question, ready for an LLM, and, when the
// operator configured one (llm_url) and the caller asked (answer=true), its answer citing them.
//
// Candidates are the documents of a hybrid ranking (full text and semantic, fused by reciprocal
// rank); their best pages are cut into passages of whole sentences, and each passage is scored by
// how many of the question's terms it holds and by its cosine with the question under the
// account's semantic model, plus a little for its document's rank.
#include <algorithm>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "services/dms/documents.h"
#include "services/llm/chat_client.h"
#include "store/fts_tokenizer.h"

namespace paperd::services::dms {

namespace {

constexpr int kCandidates = 30;        // documents of each side before fusion
constexpr size_t kDocuments = 12;      // fused documents whose pages are read
constexpr size_t kPassageBytes = 600;  // a passage closes at the first sentence end past this
constexpr size_t kMaxPassageBytes = 1200;
constexpr size_t kPerDocument = 3;  // passages of one document in the answer

struct Passage {
  int64_t document_id = 0;
  int page = 0;
  size_t doc_rank = 0;
  std::string text;
  double coverage = 0, similarity = 0, score = 0;
};

// Whole sentences (ending in . ! ? or a blank line), joined up to about kPassageBytes.
std::vector<std::string> passages_of(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto close = [&] {
    size_t a = cur.find_first_not_of(" \n\t\r");
    if (a != std::string::npos)
      out.push_back(cur.substr(a, cur.find_last_not_of(" \n\t\r") - a + 1));
    cur.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool blank_line = ch == '\n' && i + 1 < text.size() && text[i + 1] == '\n';
    cur += (ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f') ? ' ' : ch;
    bool sentence_end =
        blank_line || ((ch == '.' || ch == '!' || ch == '?') &&
                       (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n'));
    // A passage may still be cut inside an endless sentence, at a character boundary.
    bool too_long =
        cur.size() >= kMaxPassageBytes &&
        (i + 1 == text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80);
    if ((sentence_end && cur.size() >= kPassageBytes) || too_long) close();
  }
  close();
  return out;
}

// A question as a full-text query of any of its words (a question's words are rarely all in one
// passage).
std::string any_word_query(store::FtsTerms& fts, const std::string& question) {
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (const auto& t : fts.tokens(question, true))
    if (std::string w = question.substr(t.start, t.end - t.start); seen.insert(w).second)
      words.push_back(std::move(w));
  return any_of_query(words);
}

double coverage(store::FtsTerms& fts, const std::unordered_set<std::string>& query_terms,
                const std::string& text) {
  if (query_terms.empty()) return 0;
  std::unordered_set<std::string> found;
  for (auto& t : SemanticIndex::terms(fts, text))
    if (query_terms.contains(t)) found.insert(t);
  return static_cast<double>(found.size()) / static_cast<double>(query_terms.size());
}

}  // namespace

Json DocumentStore::search_rag(const Principal& who, const std::string& query,
                               const SearchFilter& filter, int64_t limit, double min_similarity,
                               bool answer) {
  if (query.empty()) throw core::Error::invalid_request("field 'query' (or 'q') is required");
  auto& c = db_.conn();
  SearchFilter scope = caller_scope(who, filter);

  // The documents: hybrid ranking of both sides' candidates; a keyword query that full text
  // cannot parse as its syntax still has the semantic side.
  store::FtsTerms& fts = store::FtsTerms::of_this_thread();
  std::string any_word = any_word_query(fts, query);
  SearchPage text;
  if (!any_word.empty())
    text = index_->search(c, any_word, scope, kCandidates, 0, "relevance", false, false);
  SemanticResult sem = semantic_->search(c, query, scope, min_similarity);
  if (sem.hits.size() > static_cast<size_t>(kCandidates)) sem.hits.resize(kCandidates);
  std::vector<int64_t> text_docs, sem_docs;
  std::unordered_map<int64_t, std::set<int>> pages;  // per document, the pages to read
  for (const auto& h : text.hits) {
    text_docs.push_back(h.document_id);
    pages[h.document_id].insert(h.page);
  }
  for (const auto& h : sem.hits) {
    sem_docs.push_back(h.document_id);
    pages[h.document_id].insert(h.page);
  }
  std::vector<FusedHit> fused = reciprocal_rank_fusion(text_docs, sem_docs, 0.5);
  if (fused.size() > kDocuments) fused.resize(kDocuments);

  std::vector<Passage> passages;
  for (size_t rank = 0; rank < fused.size(); ++rank) {
    int64_t doc = fused[rank].document_id;
    const auto& want = pages[doc];
    for (const auto& chunk : index_->chunks(c, doc)) {
      if (!want.contains(chunk.page)) continue;
      for (auto& p : passages_of(chunk.text))
        passages.push_back({doc, chunk.page, rank, std::move(p)});
    }
  }
  std::vector<std::string> terms = SemanticIndex::terms(fts, query);
  std::unordered_set<std::string> query_terms(terms.begin(), terms.end());
  std::vector<std::string> texts;
  for (const auto& p : passages) texts.push_back(p.text);
  std::vector<double> sims = semantic_->similarities(c, scope.account_id, query, texts);
  for (size_t i = 0; i < passages.size(); ++i) {
    Passage& p = passages[i];
    p.coverage = coverage(fts, query_terms, p.text);
    p.similarity = sims[i];
    p.score = 0.5 * p.coverage + 0.5 * std::max(0.0, p.similarity) +
              0.1 / (1.0 + static_cast<double>(p.doc_rank));
  }
  std::erase_if(passages,
                [&](const Passage& p) { return p.coverage == 0 && p.similarity < min_similarity; });
  std::stable_sort(passages.begin(), passages.end(),
                   [](const Passage& a, const Passage& b) { return a.score > b.score; });

  Json results = Json::array();
  std::unordered_map<int64_t, size_t> per_document;
  std::string context;
  for (const auto& p : passages) {
    if (results.size() >= static_cast<size_t>(limit)) break;
    if (per_document[p.document_id]++ >= kPerDocument) continue;
    Json j = hit_json(c, SearchHit{p.document_id, p.page, p.score, p.text.substr(0, 200)});
    if (j.is_null()) continue;
    size_t n = results.size() + 1;
    j["passage"] = n;
    j["page"] = p.page > 0 ? Json(p.page) : Json(nullptr);
    j["chunk_text"] = p.text;
    j["source_type"] = "document";
    j["term_coverage"] = p.coverage;
    j["similarity"] = p.similarity;
    if (!context.empty()) context += "\n\n";
    context += "[" + std::to_string(n) + "] " + j["file_name"].get<std::string>() +
               (p.page > 0 ? ", page " + std::to_string(p.page) : std::string()) + ":\n" + p.text;
    results.push_back(std::move(j));
  }

  Json out = {{"status", "success"},  {"mode", "rag"},
              {"query", query},       {"total", results.size()},
              {"limit", limit},       {"min_similarity", min_similarity},
              {"engine", sem.engine}, {"index_pending", sem.pending},
              {"context", context},   {"results", results}};
  llm::ChatClient chat(config_);
  out["answer"] = nullptr;
  if (!answer) return out;
  if (!chat.configured()) {
    out["answer_status"] = "ENGINE_NOT_CONFIGURED";
    out["answer_message"] =
        "no answer: set llm_url to an OpenAI-compatible chat API; the passages are returned";
    return out;
  }
  if (results.empty()) {
    out["answer_status"] = "NO_PASSAGES";
    out["answer_message"] = "no passage matches the question, so no answer was asked for";
    return out;
  }
  std::string reply = chat.complete(
      {{"system",
        "Answer the question using only the numbered passages. Cite every passage you use as "
        "[n]. If the passages do not contain the answer, say so."},
       {"user", "Passages:\n\n" + context + "\n\nQuestion: " + query}});
  Json citations = Json::array();
  std::set<size_t> cited;
  static const std::regex kCite(R"(\[(\d{1,3})\])");
  for (auto it = std::sregex_iterator(reply.begin(), reply.end(), kCite);
       it != std::sregex_iterator(); ++it) {
    size_t n = std::stoul((*it)[1]);
    if (n < 1 || n > results.size() || !cited.insert(n).second) continue;
    const Json& r = results[n - 1];
    citations.push_back({{"passage", n},
                         {"documents_id", r["documents_id"]},
                         {"pofid", r["pofid"]},
                         {"file_name", r["file_name"]},
                         {"page", r["page"]}});
  }
  out["answer"] = reply;
  out["answer_status"] = "answered";
  out["answer_model"] = config_.llm_model;
  out["citations"] = citations;
  return out;
}

}  // namespace paperd::services::dms
