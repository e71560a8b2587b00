// The semantic index (semantic_index.h). Random indexing is rebuilt from scratch, which takes
// well under a second for 10,000 small documents: always when a small corpus (under
// kSmallCorpus documents) changed, else once a tenth of the documents changed since the build
// (documents marked since its training started: semantic_dirty.marked_ms, migration 12);
// in between, changed documents are embedded under the current model (their new words as their
// own index vectors). A rebuild writes the terms and the new version in one transaction; the
// vectors follow a batch of documents per transaction, so a crash leaves only whole rows and the
// next pass carries on with what is still pending. Older vectors stay searchable meanwhile (the
// index vectors of random indexing do not change), and count as pending.
#include "services/dms/semantic_index.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/clock.h"
#include "core/error.h"
#include "engines/embed/openai_embeddings.h"
#include "engines/embed/vectors.h"
#include "net/operator_api.h"
#include "store/fts_tokenizer.h"

namespace paperd::services::dms {

namespace embed = engines::embed;

struct SemanticIndex::Model {
  std::string engine;
  int64_t version = 0, corpus_chunks = 0, corpus_documents = 0, changed_documents = 0;
  int64_t built_at_ms = 0;  // when its training started reading the documents
};

namespace {

constexpr int64_t kSmallCorpus = 2000;  // documents: rebuilt on every change below this
constexpr size_t kBatchDocuments = 64;  // per transaction
constexpr size_t kApiBatchTexts = 32;   // per embeddings request
constexpr size_t kSnippetBytes = 240;

// A text's terms: each word as the full-text index folds it, in one form, the shortest of the
// forms it is indexed under (its stems), so plurals and inflections meet as in full text.
std::vector<std::string> terms_of(store::FtsTerms& fts, const std::string& text) {
  std::vector<std::string> out;
  for (auto& token : fts.tokens(text, true)) {
    if (token.terms.empty()) continue;
    auto shortest = std::min_element(
        token.terms.begin(), token.terms.end(),
        [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    out.push_back(std::move(*shortest));
  }
  return out;
}

// The operator's OpenAI-compatible API; its host is trusted like an allow-listed one.
class OpenAiEmbedder : public embed::Embedder {
 public:
  explicit OpenAiEmbedder(const core::Config& config) : config_(config) {}
  std::string id() const override { return "openai:" + config_.embeddings_model; }
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    for (size_t at = 0; at < texts.size(); at += kApiBatchTexts) {
      std::vector<std::string> batch(
          texts.begin() + static_cast<std::ptrdiff_t>(at),
          texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), at + kApiBatchTexts)));
      for (auto& v : call(batch)) out.push_back(std::move(v));
    }
    return out;
  }

 private:
  std::vector<std::vector<float>> call(const std::vector<std::string>& texts) {
    std::string body = net::post_json({.what = "the embeddings API",
                                       .setting = "embeddings_url",
                                       .code = "EMBEDDINGS",
                                       .max_bytes = 64u << 20},
                                      embed::embeddings_endpoint(config_.embeddings_url),
                                      embed::embeddings_request(config_.embeddings_model, texts),
                                      config_.embeddings_api_key);
    return embed::parse_embeddings_response(body, texts.size());
  }
  const core::Config& config_;
};

embed::TermModel lookup_terms(store::Connection& c, int64_t account,
                              const std::vector<std::string>& terms, int64_t corpus_chunks) {
  embed::TermModel out;
  constexpr size_t kPerQuery = 500;
  for (size_t at = 0; at < terms.size(); at += kPerQuery) {
    std::vector<store::Value> p = {account};
    std::string in;
    for (size_t i = at; i < std::min(terms.size(), at + kPerQuery); ++i) {
      in += in.empty() ? "?" : ", ?";
      p.push_back(terms[i]);
    }
    for (auto& r : c.query("SELECT term, df, vector FROM semantic_terms WHERE account_id = ? AND "
                           "term IN (" +
                               in + ")",
                           p)) {
      int64_t df = r.i64("df");
      out.emplace(r.text("term"), embed::TermVector{embed::from_blob(r.text("vector")),
                                                    embed::idf(df, corpus_chunks), df});
    }
  }
  return out;
}

std::optional<SemanticIndex::Model> load_model(store::Connection& c, int64_t account) {
  auto r = c.query_one("SELECT * FROM semantic_models WHERE account_id = ?", {account});
  if (!r) return std::nullopt;
  return SemanticIndex::Model{r->text("engine"),           r->i64("version"),
                              r->i64("corpus_chunks"),     r->i64("corpus_documents"),
                              r->i64("changed_documents"), r->i64("built_at_ms")};
}

}  // namespace

SemanticIndex::SemanticIndex(store::Database& db, FulltextIndex& fulltext,
                             const core::Config& config)
    : db_(db), fulltext_(fulltext), config_(config) {}

std::string SemanticIndex::engine_id() const {
  return config_.embeddings_url.empty() ? embed::kRandomIndexingId
                                        : "openai:" + config_.embeddings_model;
}

std::unique_ptr<embed::Embedder> SemanticIndex::embedder(store::Connection& c, store::FtsTerms& fts,
                                                         int64_t account, const Model* model,
                                                         const embed::TermModel* trained) {
  if (!config_.embeddings_url.empty()) return std::make_unique<OpenAiEmbedder>(config_);
  int64_t n = model ? model->corpus_chunks : 0;
  return std::make_unique<embed::RandomIndexingEmbedder>(
      [&fts](const std::string& text) { return terms_of(fts, text); },
      [&c, account, n, trained](const std::vector<std::string>& terms) {
        if (!trained) return lookup_terms(c, account, terms, n);
        embed::TermModel out;
        for (const auto& t : terms)
          if (auto it = trained->find(t); it != trained->end()) out.emplace(t, it->second);
        return out;
      },
      n);
}

int SemanticIndex::sync(int64_t budget_ms) {
  auto& c = db_.conn();
  const int64_t deadline = core::unix_millis() + budget_ms;
  c.exec("DELETE FROM semantic_dirty WHERE document_id NOT IN (SELECT id FROM documents)");
  std::vector<int64_t> accounts;
  for (auto& r : c.query(
           "SELECT DISTINCT d.account_id AS a FROM semantic_dirty x JOIN documents d ON d.id = "
           "x.document_id WHERE d.deleted_at IS NULL "
           "UNION SELECT account_id FROM semantic_models WHERE engine != ? "
           "UNION SELECT DISTINCT d.account_id FROM documents d LEFT JOIN semantic_models m ON "
           "m.account_id = d.account_id WHERE d.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
           "semantic_chunks s WHERE s.document_id = d.id AND s.page = 0 AND s.version = "
           "IFNULL(m.version, -1))",
           {engine_id()}))
    accounts.push_back(r.i64("a"));
  int embedded = 0;
  for (int64_t a : accounts) {
    if (a != accounts.front() && core::unix_millis() >= deadline) break;
    sync_account(c, a, deadline, embedded);  // at least one batch: every pass makes progress
  }
  return embedded;
}

void SemanticIndex::sync_account(store::Connection& c, int64_t account, int64_t deadline,
                                 int& embedded) {
  const std::string engine = engine_id();
  std::optional<Model> model = load_model(c, account);
  // Marked documents whose change the model has not read: those marked since its training
  // started. The others (marked before, their vector not yet written) only wait for a vector,
  // so a rebuild that could not embed the whole corpus in one pass is not started again.
  auto since = c.query_one(
      "SELECT COUNT(*) AS n FROM semantic_dirty x JOIN documents d ON d.id = x.document_id "
      "WHERE d.account_id = ? AND d.deleted_at IS NULL AND x.marked_ms >= ?",
      {account, model ? model->built_at_ms : int64_t{0}});
  const int64_t changed_since_build = since ? since->i64("n") : 0;
  const bool random_indexing = config_.embeddings_url.empty();
  bool rebuild = !model || model->engine != engine;
  if (!rebuild && random_indexing && changed_since_build > 0)
    rebuild = model->corpus_documents < kSmallCorpus ||
              (model->changed_documents + changed_since_build) * 10 >= model->corpus_documents;

  store::FtsTerms fts;
  std::optional<embed::TermModel> trained;
  if (rebuild) {
    Model next{engine, model ? model->version + 1 : 1, 0, 0, 0, core::unix_millis()};
    embed::RandomIndexingTrainer trainer;
    if (random_indexing) {
      for (auto& r : c.query(
               "SELECT id FROM documents WHERE account_id = ? AND deleted_at IS NULL ORDER BY id",
               {account})) {
        for (const auto& chunk : fulltext_.chunks(c, r.i64("id")))
          trainer.add_chunk(terms_of(fts, chunk.text));
        ++next.corpus_documents;
      }
      next.corpus_chunks = trainer.chunks();
      trained = trainer.build();
    }
    c.transaction([&] {
      c.exec("DELETE FROM semantic_terms WHERE account_id = ?", {account});
      if (trained)
        for (const auto& [term, tv] : *trained)
          c.exec(
              "INSERT INTO semantic_terms (account_id, term, df, vector) VALUES (?, ?, ?, "
              "CAST(? AS BLOB))",
              {account, term, tv.df, embed::to_blob(tv.context)});
      c.exec(
          "INSERT INTO semantic_models (account_id, engine, version, corpus_chunks, "
          "corpus_documents, changed_documents, built_at_ms) VALUES (?, ?, ?, ?, ?, 0, ?) ON "
          "CONFLICT (account_id) DO UPDATE SET engine = excluded.engine, version = "
          "excluded.version, corpus_chunks = excluded.corpus_chunks, corpus_documents = "
          "excluded.corpus_documents, changed_documents = 0, built_at_ms = excluded.built_at_ms",
          {account, engine, next.version, next.corpus_chunks, next.corpus_documents,
           next.built_at_ms});
    });
    spdlog::debug("semantic index: account {} model v{} ({}, {} documents, {} terms)", account,
                  next.version, engine, next.corpus_documents, trained ? trained->size() : 0);
    model = next;
  }

  // Documents without a current vector or changed since theirs, oldest first.
  std::vector<int64_t> pending;
  for (auto& r : c.query(
           "SELECT d.id FROM documents d WHERE d.account_id = ? AND d.deleted_at IS NULL AND (d.id "
           "IN (SELECT document_id FROM semantic_dirty) OR NOT EXISTS (SELECT 1 FROM "
           "semantic_chunks s WHERE s.document_id = d.id AND s.page = 0 AND s.version = ?)) ORDER "
           "BY d.id",
           {account, model->version}))
    pending.push_back(r.i64("id"));
  auto engine_for = embedder(c, fts, account, &*model, trained ? &*trained : nullptr);
  for (size_t at = 0; at < pending.size() && (at == 0 || core::unix_millis() < deadline);
       at += kBatchDocuments) {
    struct Doc {
      int64_t id;
      std::optional<int64_t> seq;
      bool changed_since_build = false;  // counts towards the next rebuild once embedded
      std::vector<IndexedPage> chunks;
      std::vector<std::vector<float>> vectors;
    };
    std::vector<Doc> docs;
    std::vector<std::string> texts;
    for (size_t i = at; i < std::min(pending.size(), at + kBatchDocuments); ++i) {
      Doc d{pending[i], std::nullopt, {}, {}};
      if (auto s = c.query_one("SELECT seq, marked_ms FROM semantic_dirty WHERE document_id = ?",
                               {d.id})) {
        d.seq = s->i64("seq");
        d.changed_since_build = s->i64("marked_ms") >= model->built_at_ms;
      }
      d.chunks = fulltext_.chunks(c, d.id);
      for (const auto& ch : d.chunks) texts.push_back(ch.text);
      docs.push_back(std::move(d));
    }
    std::vector<std::vector<float>> vectors = engine_for->embed(texts);
    size_t v = 0;
    c.transaction([&] {
      for (auto& d : docs) {
        c.exec("DELETE FROM semantic_chunks WHERE document_id = ?", {d.id});
        for (const auto& ch : d.chunks)
          c.exec(
              "INSERT INTO semantic_chunks (document_id, page, account_id, version, vector) "
              "VALUES (?, ?, ?, ?, CAST(? AS BLOB))",
              {d.id, int64_t{ch.page}, account, model->version, embed::to_blob(vectors[v++])});
        if (d.seq) {
          c.exec("DELETE FROM semantic_dirty WHERE document_id = ? AND seq = ?", {d.id, *d.seq});
          if (d.changed_since_build)
            c.exec(
                "UPDATE semantic_models SET changed_documents = changed_documents + 1 WHERE "
                "account_id = ?",
                {account});
        }
      }
    });
    embedded += static_cast<int>(docs.size());
  }
}

namespace {

// The key of a scope in a snapshot's pending memo: the WHERE clause and its values.
std::string scope_key(const std::string& where, const std::vector<store::Value>& p) {
  std::string key = where;
  for (const auto& v : p) {
    key += '\x1f';
    if (const auto* i = std::get_if<int64_t>(&v))
      key += std::to_string(*i);
    else if (const auto* t = std::get_if<std::string>(&v))
      key += *t;
    else if (const auto* d = std::get_if<double>(&v))
      key += std::to_string(*d);
  }
  return key;
}

// True when the filter only narrows by account, workspaces and group: the snapshot's own
// workspace column decides then, without a query of the documents.
bool workspace_only(const SearchFilter& f) {
  return f.tag.empty() && f.mime_type.empty() && f.lifecycle_status.empty() && !f.from_ms &&
         !f.to_ms && f.meta_equals.empty();
}

// The HNSW search of a large scope: the nearest kAnnChunks in-scope chunks, k doubled until they
// name kAnnDocuments documents (hybrid's candidates) or reach chunks below min_similarity. Past
// kAnnMaxChunks the graph search costs more than the exact scan of 100,000 chunks
// (bench/ann_bench.cpp), so that scope is scanned exactly.
constexpr size_t kAnnChunks = 256;
constexpr size_t kAnnDocuments = 200;
constexpr size_t kAnnMaxChunks = 1024;

}  // namespace

void SemanticIndex::add_expansions(store::Connection& c, store::FtsTerms& fts, int64_t account,
                                   const Model& model, const QueryExpansion& expansion,
                                   std::vector<float>& q) {
  size_t words = expansion.words.size();
  for (const auto& w : expansion.words) {
    std::vector<float> sum(q.size(), 0.0f);
    for (const auto& t : w.terms) {
      std::vector<std::string> terms = terms_of(fts, t.text);
      if (terms.empty()) continue;
      embed::TermModel known = lookup_terms(c, account, terms, model.corpus_chunks);
      if (known.size() < std::set<std::string>(terms.begin(), terms.end()).size())
        continue;  // a word the documents never use adds only noise
      std::vector<float> v = embed::embed_terms(terms, known, model.corpus_chunks);
      for (size_t i = 0; i < q.size() && i < v.size(); ++i)
        sum[i] += static_cast<float>(t.weight) * v[i];
    }
    embed::normalize(sum);
    const float share = 0.5f / static_cast<float>(words);
    for (size_t i = 0; i < q.size(); ++i) q[i] += share * sum[i];
  }
  embed::normalize(q);
}

SemanticResult SemanticIndex::search(store::Connection& c, const std::string& query,
                                     const SearchFilter& f, double min_similarity,
                                     const QueryExpansion& expansion) {
  SemanticResult out;
  out.engine = engine_id();
  std::optional<Model> model = load_model(c, f.account_id);
  if (model && model->engine != out.engine) model.reset();  // its vectors are of another space
  const int64_t version = model ? model->version : -1;
  store::FtsTerms& fts = store::FtsTerms::of_this_thread();
  std::vector<float> q =
      embedder(c, fts, f.account_id, model ? &*model : nullptr, nullptr)->embed({query})[0];
  if (model && config_.embeddings_url.empty() && !expansion.empty())
    add_expansions(c, fts, f.account_id, *model, expansion, q);

  const int64_t generation = VectorCache::generation(c, f.account_id);
  const auto ann_min_rows =
      static_cast<size_t>(std::max<int64_t>(1, config_.semantic_ann_min_chunks));
  auto snap = vectors_.get(c, f.account_id, generation, ann_min_rows);

  std::vector<store::Value> p;
  std::string where = document_scope_sql(f, p);
  {
    std::string key = scope_key(where, p);
    std::lock_guard lock(snap->memo_mutex);
    if (auto it = snap->pending.find(key); it != snap->pending.end())
      out.pending = it->second;
    else
      out.pending = -1;
    if (out.pending < 0) {
      // Chunks of the scope: page 0 of every document and each page of text.
      std::vector<store::Value> pp = p;
      pp.insert(pp.end(), p.begin(), p.end());
      pp.push_back(version);
      auto pend = c.query_one(
          "SELECT COUNT(*) AS n FROM (SELECT d.id AS doc, 0 AS page FROM documents d WHERE " +
              where +
              " UNION ALL SELECT pg.document_id, pg.page FROM document_pages pg JOIN documents d "
              "ON d.id = pg.document_id WHERE " +
              where +
              ") ch WHERE ch.doc IN (SELECT document_id FROM semantic_dirty) OR NOT EXISTS "
              "(SELECT 1 FROM semantic_chunks s WHERE s.document_id = ch.doc AND s.page = "
              "ch.page AND s.version = ?)",
          pp);
      out.pending = pend ? pend->i64("n") : 0;
      snap->pending[key] = out.pending;
    }
  }
  if (!model || snap->dim != q.size()) return out;

  // Which rows are in scope: by workspace from the snapshot, or the documents SQL selects.
  std::unordered_set<int64_t> workspaces, documents;
  bool by_workspace = workspace_only(f);
  if (by_workspace) {
    if (!f.group.empty()) {
      for (auto& r : c.query("SELECT id FROM workspaces WHERE account_id = ? AND group_name = ?",
                             {f.account_id, f.group}))
        if (f.workspace_ids.empty() || std::find(f.workspace_ids.begin(), f.workspace_ids.end(),
                                                 r.i64("id")) != f.workspace_ids.end())
          workspaces.insert(r.i64("id"));
      if (workspaces.empty()) return out;
    } else {
      workspaces.insert(f.workspace_ids.begin(), f.workspace_ids.end());
    }
  } else {
    for (auto& r : c.query("SELECT d.id FROM documents d WHERE " + where, p))
      documents.insert(r.i64("id"));
  }

  // The scope's rows (every row for the whole account), each document's in ascending order.
  const bool all_rows = by_workspace && workspaces.empty();
  std::vector<uint32_t> rows;
  if (by_workspace) {
    for (int64_t w : workspaces)
      if (auto it = snap->rows_of_workspace.find(w); it != snap->rows_of_workspace.end())
        rows.insert(rows.end(), it->second.begin(), it->second.end());
  } else {
    for (size_t i = 0; i < snap->rows(); ++i)
      if (documents.contains(snap->document[i])) rows.push_back(static_cast<uint32_t>(i));
  }
  const size_t in_scope = all_rows ? snap->rows() : rows.size();

  // Every held vector of the scope in this model's space (older versions of the same engine
  // included) counts, the best chunk per document (on a tie, the first row).
  std::unordered_map<int64_t, SemanticHit> best;
  auto take = [&](size_t i, float score) {
    int64_t doc = snap->document[i];
    auto [it, fresh] = best.try_emplace(doc, SemanticHit{doc, 0, -2});
    if (score > it->second.score) it->second = {doc, snap->page[i], score};
  };
  std::shared_ptr<const engines::ann::HnswIndex> ann;
  if (in_scope >= ann_min_rows) ann = snap->ann();
  if (ann) {
    std::optional<engines::ann::RowSet> allowed;
    if (!all_rows) {
      allowed.emplace(snap->rows());
      for (uint32_t i : rows) allowed->add(i);
    }
    for (size_t k = kAnnChunks; k <= kAnnMaxChunks; k *= 2) {
      auto nearest = ann->search(q.data(), k, allowed ? &*allowed : nullptr);
      best.clear();
      bool below = false;
      for (const auto& n : nearest) {
        if (n.score < min_similarity) {
          below = true;
          break;
        }
        take(n.row, n.score);
      }
      if (below || nearest.size() >= in_scope || best.size() >= kAnnDocuments) {
        out.approximate = true;
        break;
      }
      if (nearest.size() < k) break;  // the graph search ran out of in-scope rows: scan them
    }
    if (!out.approximate) best.clear();
  }
  if (!out.approximate) {
    auto scan = [&](size_t i) {
      float score = embed::dot(q.data(), snap->row(i), q.size());
      if (score >= min_similarity) take(i, score);
    };
    if (all_rows)
      for (size_t i = 0; i < snap->rows(); ++i) scan(i);
    else
      for (uint32_t i : rows) scan(i);
  }
  for (auto& [doc, hit] : best) out.hits.push_back(hit);
  std::sort(out.hits.begin(), out.hits.end(), [](const SemanticHit& a, const SemanticHit& b) {
    return a.score != b.score ? a.score > b.score : a.document_id > b.document_id;
  });
  return out;
}

std::vector<double> SemanticIndex::similarities(store::Connection& c, int64_t account,
                                                const std::string& query,
                                                const std::vector<std::string>& texts) {
  std::vector<double> out(texts.size(), 0.0);
  std::optional<Model> model = load_model(c, account);
  if (!model || model->engine != engine_id() || texts.empty()) return out;
  store::FtsTerms fts;
  std::vector<std::string> all = {query};
  all.insert(all.end(), texts.begin(), texts.end());
  auto vectors = embedder(c, fts, account, &*model, nullptr)->embed(all);
  for (size_t i = 0; i < texts.size(); ++i)
    out[i] = embed::cosine_of_normalised(vectors[0], vectors[i + 1]);
  return out;
}

std::vector<std::string> SemanticIndex::terms(store::FtsTerms& fts, const std::string& text) {
  return terms_of(fts, text);
}

namespace {

class MarkingIndex : public FulltextIndex {
 public:
  explicit MarkingIndex(std::unique_ptr<FulltextIndex> inner) : inner_(std::move(inner)) {}
  void put_document(store::Connection& c, int64_t id, const std::string& file_name,
                    const std::string& meta, const std::vector<IndexedPage>& pages) override {
    inner_->put_document(c, id, file_name, meta, pages);
    mark(c, id);
  }
  void put_meta(store::Connection& c, int64_t id, const std::string& file_name,
                const std::string& meta) override {
    inner_->put_meta(c, id, file_name, meta);
    mark(c, id);
  }
  void put_pages(store::Connection& c, int64_t id, const std::vector<IndexedPage>& pages) override {
    inner_->put_pages(c, id, pages);
    mark(c, id);
  }
  void remove_document(store::Connection& c, int64_t id) override {
    inner_->remove_document(c, id);
    c.exec("DELETE FROM semantic_chunks WHERE document_id = ?", {id});
    c.exec("DELETE FROM semantic_dirty WHERE document_id = ?", {id});
    c.exec("DELETE FROM document_entities WHERE document_id = ?", {id});
    c.exec("DELETE FROM entity_dirty WHERE document_id = ?", {id});
  }
  std::vector<IndexedPage> chunks(store::Connection& c, int64_t id) override {
    return inner_->chunks(c, id);
  }
  std::string chunk(store::Connection& c, int64_t id, int page) override {
    return inner_->chunk(c, id, page);
  }
  bool merge_step(store::Connection& c) override { return inner_->merge_step(c); }
  SearchPage search(store::Connection& c, const std::string& query, const SearchFilter& f,
                    int limit, int offset, const std::string& sort, bool asc,
                    bool snippets) override {
    return inner_->search(c, query, f, limit, offset, sort, asc, snippets);
  }
  std::vector<std::string> snippets(store::Connection& c, const std::string& query,
                                    const std::vector<std::pair<int64_t, int>>& chunks) override {
    return inner_->snippets(c, query, chunks);
  }
  std::vector<int64_t> term_chunks(store::Connection& c,
                                   const std::vector<std::string>& texts) override {
    return inner_->term_chunks(c, texts);
  }

 private:
  // The semantic index and the entity index (entity_index.h) both follow these marks.
  static void mark(store::Connection& c, int64_t id) {
    c.exec(
        "INSERT INTO semantic_dirty (document_id, marked_ms) VALUES (?, ?) ON CONFLICT "
        "(document_id) DO UPDATE SET seq = seq + 1, marked_ms = excluded.marked_ms",
        {id, core::unix_millis()});
    c.exec(
        "INSERT INTO entity_dirty (document_id) VALUES (?) ON CONFLICT (document_id) DO UPDATE "
        "SET seq = seq + 1",
        {id});
  }
  std::unique_ptr<FulltextIndex> inner_;
};

}  // namespace

std::unique_ptr<FulltextIndex> with_semantic_marks(std::unique_ptr<FulltextIndex> index) {
  return std::make_unique<MarkingIndex>(std::move(index));
}

std::vector<FusedHit> reciprocal_rank_fusion(const std::vector<int64_t>& fulltext,
                                             const std::vector<int64_t>& semantic,
                                             double semantic_weight, int k,
                                             const std::vector<int64_t>& expanded,
                                             double expanded_weight) {
  std::unordered_map<int64_t, FusedHit> by_doc;
  auto add = [&](const std::vector<int64_t>& list, double w, int FusedHit::*side) {
    for (size_t i = 0; i < list.size(); ++i) {
      FusedHit& h = by_doc.try_emplace(list[i], FusedHit{list[i]}).first->second;
      int& rank = h.*side;
      if (rank != 0) continue;  // a document once per list
      rank = static_cast<int>(i) + 1;
      h.score += w / (k + rank);
    }
  };
  add(fulltext, 1.0 - semantic_weight, &FusedHit::fulltext_rank);
  add(semantic, semantic_weight, &FusedHit::semantic_rank);
  add(expanded, expanded_weight, &FusedHit::expanded_rank);
  std::vector<FusedHit> out;
  out.reserve(by_doc.size());
  for (auto& [doc, h] : by_doc) out.push_back(h);
  // Ties: found by both sides first, then the better single rank, then the full-text rank.
  auto sides = [](const FusedHit& h) {
    return (h.fulltext_rank ? 1 : 0) + (h.semantic_rank ? 1 : 0);
  };
  auto best_rank = [](const FusedHit& h) {
    int a = h.fulltext_rank ? h.fulltext_rank : INT32_MAX;
    int b = h.semantic_rank ? h.semantic_rank : INT32_MAX;
    return std::min(a, b);
  };
  std::sort(out.begin(), out.end(), [&](const FusedHit& a, const FusedHit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (sides(a) != sides(b)) return sides(a) > sides(b);
    if (best_rank(a) != best_rank(b)) return best_rank(a) < best_rank(b);
    if ((a.fulltext_rank != 0) != (b.fulltext_rank != 0)) return a.fulltext_rank != 0;
    return a.document_id < b.document_id;
  });
  return out;
}

}  // namespace paperd::services::dms
