// The "paperd" FTS5 tokenizer on a real SQLite file: inflected forms in English, German, French
// and Spanish meet through their Snowball stems, German compounds are found by their parts,
// diacritics fold, and phrases, prefixes, NOT and snippet() keep their meaning. Then migration 7
// on an index written with the old tokenizer: the same rows, found by stems afterwards. And
// FtsTerms, the tokenizer outside FTS5 (search hits): it finds exactly the rows the index finds.
#include "store/fts_tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "core/fs.h"
#include "store/db.h"

namespace paperd::store {
namespace {

namespace fs = std::filesystem;

class FtsTokenizerTest : public ::testing::Test {
 protected:
  FtsTokenizerTest()
      : dir_(fs::temp_directory_path(), "paperd-fts-test-"), db_(dir_.path() / "t.db") {
    auto& c = db_.conn();
    c.exec_script("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'paperd')");
    const char* rows[] = {
        "The invoice total is due on Monday",         // 1
        "Total of the invoice, paid in March",        // 2
        "Die Rechnung ist bezahlt",                   // 3
        "Der Kfz-Versicherungsvertrag endet im Mai",  // 4
        "Drei Verträge liegen vor",                   // 5
        "La facture est payée",                       // 6
        "La factura está pagada",                     // 7
        "Mein Résumé liegt in der Hauptstraße",       // 8
    };
    int64_t id = 0;
    for (const char* r : rows) c.exec("INSERT INTO t (rowid, body) VALUES (?, ?)", {++id, r});
  }
  std::set<int64_t> match(const std::string& q) {
    std::set<int64_t> ids;
    for (auto& r : db_.conn().query("SELECT rowid FROM t WHERE t MATCH ?", {q}))
      ids.insert(r.i64("rowid"));
    return ids;
  }
  std::string snippet(const std::string& q, int64_t id) {
    auto r = db_.conn().query_one(
        "SELECT snippet(t, 0, '<mark>', '</mark>', '…', 10) AS s FROM t WHERE t MATCH ? AND "
        "rowid = ?",
        {q, id});
    return r ? r->text("s") : "";
  }
  core::TempDir dir_;
  Database db_;
};

using Ids = std::set<int64_t>;

TEST_F(FtsTokenizerTest, InflectedFormsMeetThroughTheirStems) {
  EXPECT_EQ(match("invoices"), (Ids{1, 2}));
  EXPECT_EQ(match("invoice"), (Ids{1, 2}));
  EXPECT_EQ(match("totals"), (Ids{1, 2}));
  EXPECT_EQ(match("rechnungen"), (Ids{3}));
  EXPECT_EQ(match("vertrag"), (Ids{4, 5}));  // Verträge (folded vertrage) stems to vertrag
  // French and Spanish share the stem factur (the two stemmers run on every word).
  EXPECT_EQ(match("factures"), (Ids{6, 7}));
  EXPECT_EQ(match("facturas"), (Ids{6, 7}));
  // Snowball is not a lemmatizer: "paid" is not "pay".
  EXPECT_EQ(match("pay"), Ids{});
  EXPECT_EQ(match("paid"), (Ids{2}));
}

TEST_F(FtsTokenizerTest, GermanCompoundsAreFoundByTheirParts) {
  EXPECT_EQ(match("versicherung"), (Ids{4}));
  EXPECT_EQ(match("versicherungen"), (Ids{4}));  // the part's stem, versicher
  EXPECT_EQ(match("Versicherungsvertrag"), (Ids{4}));
  EXPECT_EQ(match("kfz"), (Ids{4}));
  EXPECT_EQ(match("strasse"), (Ids{8}));  // haupt|straße, and German stems ß as ss
  EXPECT_EQ(match("haupt"), (Ids{8}));
}

TEST_F(FtsTokenizerTest, DiacriticsFold) {
  EXPECT_EQ(match("resume"), (Ids{8}));
  EXPECT_EQ(match("résumé"), (Ids{8}));
  EXPECT_EQ(match("vertrage"), (Ids{4, 5}));
  EXPECT_EQ(match("payee"), (Ids{6}));
}

TEST_F(FtsTokenizerTest, PhrasesPrefixesAndNotKeepTheirMeaning) {
  EXPECT_EQ(match("\"invoice total\""), (Ids{1}));  // row 2 has both words, not as a phrase
  EXPECT_EQ(match("\"total invoice\""), Ids{});
  EXPECT_EQ(match("\"invoices totals\""), (Ids{1}));  // a phrase of stems: its words inflected
  EXPECT_EQ(match("rechn*"), (Ids{3}));
  EXPECT_EQ(match("versicherungsv*"), (Ids{4}));
  // A prefix is the raw token only: "invoices*" is no prefix of "invoice".
  EXPECT_EQ(match("invoices*"), Ids{});
  EXPECT_EQ(match("invoice NOT monday"), (Ids{2}));
  EXPECT_EQ(match("invoice OR rechnungen"), (Ids{1, 2, 3}));
  EXPECT_EQ(match("NEAR(invoices due, 3)"), (Ids{1}));
}

TEST_F(FtsTokenizerTest, SnippetsMarkTheOriginalWord) {
  EXPECT_EQ(snippet("rechnungen", 3), "Die <mark>Rechnung</mark> ist bezahlt");
  EXPECT_EQ(snippet("vertrag", 4), "Der Kfz-<mark>Versicherungsvertrag</mark> endet im Mai");
  EXPECT_EQ(snippet("vertrag", 5), "Drei <mark>Verträge</mark> liegen vor");
  EXPECT_EQ(snippet("\"invoices totals\"", 1), "The <mark>invoice total</mark> is due on Monday");
}

TEST_F(FtsTokenizerTest, DeletesAndUpdatesLeaveAConsistentIndex) {
  auto& c = db_.conn();
  c.exec("DELETE FROM t WHERE rowid = 4");
  c.exec("UPDATE t SET body = 'Neue Rechnungen' WHERE rowid = 5");
  EXPECT_EQ(match("vertrag"), Ids{});
  EXPECT_EQ(match("rechnung"), (Ids{3, 5}));
  EXPECT_NO_THROW(c.exec("INSERT INTO t (t, rank) VALUES ('integrity-check', 1)"));
}

TEST_F(FtsTokenizerTest, StemsDoNotCountTowardsTheColumnLength) {
  // bm25 normalises by column length; colocated tokens take no position, so a document of
  // stemmed words is as long as its word count (a rank equal to an unstemmable text's).
  auto& c = db_.conn();
  c.exec_script(
      "CREATE VIRTUAL TABLE v USING fts5(body, tokenize = 'paperd');"
      "CREATE VIRTUAL TABLE v_len USING fts5vocab(v, 'instance');");
  c.exec("INSERT INTO v (rowid, body) VALUES (1, 'invoices contracts payments')");
  auto r = c.query_one("SELECT MAX(offset) AS last, COUNT(*) AS n FROM v_len");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->i64("last"), 2);  // three positions: 0, 1, 2
  EXPECT_GT(r->i64("n"), 3);     // and more than three tokens at them
}

TEST(FtsMigration, Migration7ReindexesAnOldIndexWithStems) {
  core::TempDir dir(fs::temp_directory_path(), "paperd-fts-migration-");
  Database db(dir.path() / "paperd.db");
  db.migrate();
  auto& c = db.conn();
  // The index as migrations 1..6 left it (unicode61), with a document's chunks in it, and 7 not
  // yet applied.
  c.exec_script(R"SQL(
DROP TABLE document_fts;
CREATE VIRTUAL TABLE document_fts USING fts5(
  file_name, meta, body, document_id UNINDEXED, page UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
DELETE FROM schema_migrations WHERE version = 7;
)SQL");
  c.exec(
      "INSERT INTO document_fts (rowid, file_name, meta, body, document_id, page) VALUES "
      "(700000, 'kunde.pdf', 'Allianz', '', 7, 0), "
      "(700002, '', '', 'Bezug: Kfz-Versicherungsvertrag und Rechnung', 7, 2)");
  auto ids = [&](const std::string& q) {
    std::set<int64_t> out;
    for (auto& r : c.query("SELECT rowid FROM document_fts WHERE document_fts MATCH ?", {q}))
      out.insert(r.i64("rowid"));
    return out;
  };
  EXPECT_EQ(ids("rechnungen"), Ids{});
  EXPECT_EQ(ids("vertrag"), Ids{});

  db.migrate();
  EXPECT_EQ(ids("rechnungen"), (Ids{700002}));
  EXPECT_EQ(ids("vertrag"), (Ids{700002}));
  EXPECT_EQ(ids("allianz"), (Ids{700000}));
  auto row = c.query_one("SELECT document_id, page, file_name FROM document_fts WHERE rowid = ?",
                         {int64_t{700000}});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->i64("document_id"), 7);
  EXPECT_EQ(row->i64("page"), 0);
  EXPECT_EQ(row->text("file_name"), "kunde.pdf");
  auto sql = c.query_one("SELECT sql FROM sqlite_master WHERE name = 'document_fts'");
  ASSERT_TRUE(sql);
  EXPECT_NE(sql->text("sql").find("tokenize = 'paperd'"), std::string::npos);
  EXPECT_FALSE(c.query_one("SELECT name FROM sqlite_master WHERE name LIKE 'document_fts_v3%'"));
  EXPECT_NO_THROW(c.exec("INSERT INTO document_fts (document_fts) VALUES ('integrity-check')"));
  // Applied once: another migrate() leaves it alone.
  db.migrate();
  EXPECT_EQ(ids("vertrag"), (Ids{700002}));
}

TEST_F(FtsTokenizerTest, FtsTermsFindWhatTheIndexFinds) {
  const std::vector<std::string> rows = {"The invoice total is due on Monday",
                                         "Total of the invoice, paid in March",
                                         "Die Rechnung ist bezahlt",
                                         "Der Kfz-Versicherungsvertrag endet im Mai",
                                         "Drei Verträge liegen vor",
                                         "La facture est payée",
                                         "La factura está pagada",
                                         "Mein Résumé liegt in der Hauptstraße"};
  FtsTerms terms;
  // The ids whose tokens contain the query's tokens consecutively, as search_hits matches.
  auto found = [&](const std::string& q, bool prefix) {
    auto query = terms.tokens(q, true);
    Ids ids;
    for (size_t r = 0; r < rows.size(); ++r) {
      auto doc = terms.tokens(rows[r], false);
      for (size_t i = 0; i + query.size() <= doc.size(); ++i) {
        bool all = true;
        for (size_t k = 0; k < query.size() && all; ++k)
          all = fts_matches(query[k], doc[i + k], prefix && k + 1 == query.size());
        if (all) ids.insert(static_cast<int64_t>(r + 1));
      }
    }
    return ids;
  };
  for (const char* q : {"invoices",    "Rechnungen",    "rechnung",
                        "Vertrag",     "Versicherung",  "Versicherungsvertrag",
                        "Kfz",         "Verträge",      "vertragen",
                        "factures",    "facturas",      "resume",
                        "RÉSUMÉ",      "Strasse",       "Hauptstrasse",
                        "payé",        "due",           "Monday",
                        "nothing",     "invoice total", "total invoice",
                        "liegt in der"}) {
    std::string fts = std::string("\"") + q + "\"";
    EXPECT_EQ(found(q, false), match(fts)) << q;
  }
  for (const char* q : {"inv", "rech", "versich", "haupt"})
    EXPECT_EQ(found(q, true), match(std::string(q) + "*")) << q;

  // The terms: the folded word first, then its stems; a document's compound parts.
  auto q = terms.tokens("Rechnungen", true);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].terms[0], "rechnungen");
  EXPECT_NE(std::find(q[0].terms.begin(), q[0].terms.end(), "rechnung"), q[0].terms.end());
  auto d = terms.tokens("Kfz-Versicherungsvertrag", false);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1].start, 4u);
  EXPECT_EQ(d[1].end, std::string("Kfz-Versicherungsvertrag").size());
  EXPECT_NE(std::find(d[1].terms.begin(), d[1].terms.end(), "vertrag"), d[1].terms.end());
  // Compounds are split at index time only: a query's token is the word and its stems.
  auto qc = terms.tokens("Versicherungsvertrag", true);
  EXPECT_EQ(std::find(qc[0].terms.begin(), qc[0].terms.end(), "vertrag"), qc[0].terms.end());
}

}  // namespace
}  // namespace paperd::store
