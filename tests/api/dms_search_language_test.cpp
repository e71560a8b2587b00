// API tests of full-text search across languages against a real `paperd serve`: a German invoice
// PDF found by an inflected form ("Rechnungen") and by a part of a compound on its page 2
// ("Vertrag" in "Kfz-Versicherungsvertrag"), with that page and a marked snippet; an English one
// by "invoices"; French and Spanish plurals; and phrases, prefixes, exclusion and diacritics
// unchanged. (No cross-account leakage is tested in dms_test.)
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "../unit/engines/pdf/pdf_text_fixture.h"
#include "json_api.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;
namespace fixtures = paperd::fixtures;

namespace {

PaperdServer& shared() {
  static PaperdServer server;
  return server;
}

class Api : public JsonApi {
 public:
  explicit Api(const std::string& token) : JsonApi(shared(), token) {}
  std::string put(int64_t ws, const std::string& name, const std::string& bytes) {
    return upload(ws, name, bytes)["pofid"].get<std::string>();
  }
  Json search(int64_t ws, const std::string& query) {
    return post("/documents/document-search",
                {{"workspace_id", ws}, {"query", query}, {"mode", "fulltext"}});
  }
};

std::string snippet(const Json& r) {
  return r["results"][0]["snippet"].get<std::string>();
}

TEST(DmsSearchLanguage, StemsAndCompoundsFindTheDocumentAndItsPage) {
  Api a(shared().create_token("ut", "dms-language", "enterprise"));
  int64_t ws = a.post("/documents/workspace-create", {{"name", "Post"}})["workspace"]["id"];
  std::string german =
      a.put(ws, "kunde-4711.pdf",
            fixtures::make_text_pdf(
                {fixtures::FixturePage::lines({"Rechnung Nr. 4711", "Betrag: 120 EUR"}),
                 fixtures::FixturePage::lines(
                     {"Bezug: Ihr Kfz-Versicherungsvertrag", "vom 1. Mai 2025"})}));
  std::string english = a.put(ws, "statement.pdf",
                              fixtures::make_text_pdf({fixtures::FixturePage::lines(
                                  {"Invoice for consulting services", "Amount due: 300 USD"})}));
  std::string french = a.put(ws, "fr.txt", "La facture du mois de mai\n");
  std::string spanish = a.put(ws, "es.txt", "La factura del mes de mayo\n");

  Json r = a.search(ws, "Rechnungen");
  ASSERT_EQ(r["total"], 1) << r.dump();
  EXPECT_EQ(r["results"][0]["pofid"], german);
  EXPECT_EQ(r["results"][0]["page"], 1);
  EXPECT_NE(snippet(r).find("<mark>Rechnung</mark>"), std::string::npos) << snippet(r);

  for (const char* part : {"Vertrag", "Versicherung", "Versicherungsvertrag"}) {
    r = a.search(ws, part);
    ASSERT_EQ(r["total"], 1) << part << ": " << r.dump();
    EXPECT_EQ(r["results"][0]["pofid"], german);
    EXPECT_EQ(r["results"][0]["page"], 2);
    EXPECT_NE(snippet(r).find("Kfz-<mark>Versicherungsvertrag</mark>"), std::string::npos)
        << snippet(r);
  }

  r = a.search(ws, "invoices");
  ASSERT_EQ(r["total"], 1) << r.dump();
  EXPECT_EQ(r["results"][0]["pofid"], english);
  EXPECT_NE(snippet(r).find("<mark>Invoice</mark>"), std::string::npos) << snippet(r);

  // French and Spanish plurals; both stem to factur, so each finds both.
  for (const char* q : {"factures", "facturas"}) {
    r = a.search(ws, q);
    ASSERT_EQ(r["total"], 2) << q << ": " << r.dump();
    std::set<std::string> got = {r["results"][0]["pofid"], r["results"][1]["pofid"]};
    EXPECT_EQ(got, (std::set<std::string>{french, spanish}));
  }
}

TEST(DmsSearchLanguage, PhrasesPrefixesExclusionAndDiacriticsStillWork) {
  Api a(shared().create_token("ut", "dms-language-syntax", "enterprise"));
  int64_t ws = a.post("/documents/workspace-create", {{"name", "Syntax"}})["workspace"]["id"];
  a.put(ws, "en.txt", "Invoice for consulting services\n");
  a.put(ws, "de.txt", "Mein Résumé aus der Hauptstraße\n");

  EXPECT_EQ(a.search(ws, "\"invoice for consulting\"")["total"], 1);
  EXPECT_EQ(a.search(ws, "\"consulting invoice\"")["total"], 0);
  EXPECT_EQ(a.search(ws, "consult*")["total"], 1);
  EXPECT_EQ(a.search(ws, "invoices -consulting")["total"], 0);
  EXPECT_EQ(a.search(ws, "invoices OR resume")["total"], 2);
  EXPECT_EQ(a.search(ws, "resume")["total"], 1);
  EXPECT_EQ(a.search(ws, "Strasse")["total"], 1);
  EXPECT_EQ(a.search(ws, "Hauptstrasse")["total"], 1);
}

}  // namespace
