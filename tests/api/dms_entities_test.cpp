// API tests of the entity routes against a real `paperd serve`: the entities of an uploaded
// invoice (IBAN verified and compacted, VAT id, e-mail, E.164 phone, ISO date, amount with
// currency, company, person, place) with their page and the text as written; one company written
// two ways counted once across documents by /entities/canonical; /entities/search by part of a
// name and by an IBAN written with spaces; an edit re-reads a document's entities; another
// account sees none of them; workspace_name narrows them; bad parameters are refused naming the
// field.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "json_api.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

const char* kInvoice =
    "Acme Logistics GmbH\n"
    "Hafenstrasse 12\n"
    "10115 Berlin\n"
    "\n"
    "Rechnung Nr. 2025-0042 vom 03.03.2025\n"
    "Ansprechpartner: Herr Jonas Becker, jonas.becker@acme-logistics.de, Tel. +49 30 123456\n"
    "USt-IdNr.: DE136695976\n"
    "\n"
    "Gesamtbetrag: 1.234,56 EUR\n"
    "Bitte überweisen Sie auf IBAN DE89 3704 0044 0532 0130 00.\n";

const char* kLetter =
    "ACME LOGISTICS GmbH thanks you for your order of March 5, 2025.\n"
    "Questions: support@acme-logistics.de\n";

Json find(const Json& list, const std::string& type, const std::string& value) {
  for (const Json& e : list)
    if (e["type"] == type && e["value"] == value) return e;
  return nullptr;
}

TEST(DmsEntitiesApi, EntitiesOfDocumentsFoundDeduplicatedAndSearched) {
  PaperdServer server;
  JsonApi a(server, server.create_token("ut", "entities", "enterprise"));
  JsonApi other(server, server.create_token("ut", "entities-other", "enterprise"));
  int64_t ws = a.post("/documents/workspace-create", {{"name", "Invoices"}})["workspace"]["id"];
  Json invoice = a.upload(ws, "invoice.txt", kInvoice);
  Json letter = a.upload(ws, "letter.txt", kLetter);

  Json r = a.post("/document_intelligence/entities", {{"pofid", invoice["pofid"]}});
  const Json& list = r["entities"];
  Json iban = find(list, "iban", "DE89370400440532013000");
  ASSERT_FALSE(iban.is_null()) << r.dump(2);
  EXPECT_EQ(iban["text"], "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(iban["page"], 1);
  EXPECT_FALSE(find(list, "vat_id", "DE136695976").is_null()) << r.dump(2);
  EXPECT_FALSE(find(list, "email", "jonas.becker@acme-logistics.de").is_null());
  EXPECT_FALSE(find(list, "phone", "+4930123456").is_null()) << r.dump(2);
  EXPECT_FALSE(find(list, "date", "2025-03-03").is_null());
  Json amount = find(list, "amount", "1234.56");
  ASSERT_FALSE(amount.is_null()) << r.dump(2);
  EXPECT_EQ(amount["currency"], "EUR");
  EXPECT_FALSE(find(list, "company", "Acme Logistics GmbH").is_null()) << r.dump(2);
  EXPECT_FALSE(find(list, "person", "Jonas Becker").is_null()) << r.dump(2);
  EXPECT_FALSE(find(list, "location", "10115 Berlin").is_null()) << r.dump(2);
  EXPECT_EQ(r["counts"]["iban"], 1);
  // The GET form answers the same, and types narrows it.
  Json by_id = a.get("/document_intelligence/entities/" +
                     std::to_string(invoice["documents_id"].get<int64_t>()) + "?types=iban,email");
  EXPECT_EQ(by_id["total"], 2) << by_id.dump(2);

  // Across documents: the company written two ways is one entity in two documents (once the
  // background pass has read the letter too).
  Json canonical;
  for (int i = 0; i < 100; ++i) {
    canonical = a.get("/document_intelligence/entities/canonical?type=company");
    if (canonical["index_pending"] == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(canonical["entities"].size(), 1u) << canonical.dump(2);
  EXPECT_EQ(canonical["entities"][0]["documents_count"], 2);
  EXPECT_EQ(canonical["entities"][0]["variants"].size(), 2u);
  EXPECT_EQ(canonical["index_pending"], 0);
  Json two = a.get("/document_intelligence/entities/canonical?min_documents=2");
  for (const Json& e : two["entities"]) EXPECT_GE(e["documents_count"], 2) << e.dump();

  Json by_name = a.get("/document_intelligence/entities/search?q=logistics");
  bool company = false;
  for (const Json& e : by_name["results"])
    if (e["type"] == "company") {
      company = true;
      EXPECT_EQ(e["documents"].size(), 2u);
    }
  EXPECT_TRUE(company) << by_name.dump(2);
  Json by_iban = a.get("/document_intelligence/entities/search?type=iban&q=" +
                       std::string("DE89%203704%200044"));
  ASSERT_EQ(by_iban["total"], 1) << by_iban.dump(2);
  EXPECT_EQ(by_iban["results"][0]["documents"][0]["pofid"], invoice["pofid"]);
  EXPECT_EQ(a.get("/document_intelligence/entities/search?q=100%25_")["total"], 0)
      << "LIKE wildcards in the term are literal";

  // Narrowed to a workspace by name: the other workspace's document is left out; a name the
  // account does not have is 404.
  int64_t ws2 = a.post("/documents/workspace-create", {{"name", "Letters"}})["workspace"]["id"];
  Json moved = a.upload(ws2, "letter2.txt", kLetter);
  for (int i = 0; i < 100; ++i) {
    if (a.get("/document_intelligence/entities/canonical?type=company")["index_pending"] == 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Json all = a.get("/document_intelligence/entities/canonical?type=company");
  ASSERT_EQ(all["entities"].size(), 1u) << all.dump(2);
  EXPECT_EQ(all["entities"][0]["documents_count"], 3);
  Json in_letters =
      a.get("/document_intelligence/entities/canonical?type=company&workspace_name=Letters");
  ASSERT_EQ(in_letters["entities"].size(), 1u) << in_letters.dump(2);
  EXPECT_EQ(in_letters["entities"][0]["documents_count"], 1);
  EXPECT_EQ(in_letters["entities"][0]["documents"][0]["pofid"], moved["pofid"]);
  Json in_invoices =
      a.get("/document_intelligence/entities/search?q=logistics&workspace_name=Invoices");
  for (const Json& e : in_invoices["results"])
    for (const Json& d : e["documents"]) EXPECT_EQ(d["workspace_id"], ws) << e.dump();
  a.get("/document_intelligence/entities/search?q=logistics&workspace_name=Nowhere", 404);
  other.get("/document_intelligence/entities/canonical?workspace_name=Letters", 404);

  // Another account sees nothing of this one.
  EXPECT_EQ(other.get("/document_intelligence/entities/search?q=logistics")["total"], 0);
  EXPECT_EQ(other.get("/document_intelligence/entities/canonical")["total"], 0);
  other.post("/document_intelligence/entities", {{"pofid", invoice["pofid"]}}, 404);

  // An edit of the description is read again: its e-mail address becomes an entity.
  a.post("/documents/document-edit/" + letter["pofid"].get<std::string>(),
         {{"description", "forwarded by billing@example.org"}});
  Json after = a.post("/document_intelligence/entities", {{"pofid", letter["pofid"]}});
  Json mail = find(after["entities"], "email", "billing@example.org");
  ASSERT_FALSE(mail.is_null()) << after.dump(2);
  EXPECT_EQ(mail["page"], 0) << "found in the meta text";

  // Refused, naming the field.
  EXPECT_NE(a.get("/document_intelligence/entities/search", 400).dump().find("'q'"),
            std::string::npos);
  EXPECT_NE(
      a.get("/document_intelligence/entities/search?q=x&type=planet", 400).dump().find("planet"),
      std::string::npos);
  a.get("/document_intelligence/entities/canonical?limit=0", 400);
  a.post("/document_intelligence/entities", {{"pofid", "nope"}}, 404);
}

}  // namespace
