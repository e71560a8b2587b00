// API tests of mode=rag and of the "ultimate" documents-list search against a real `paperd
// serve`: the passages that answer a question (the sentence holding the answer, its page, a
// numbered context), the answer of an operator's chat API on loopback citing those passages
// (its request carries the question and the context), no answer but the passages without one,
// documents-list's search_mode / search_scope / search_preference, the POST default hybrid, a
// trashed document leaving semantic results at once, and refused parameters.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "json_api.h"
#include "server.h"

using namespace paperd::testing;
using paperd::Json;

namespace {

// Filler sentences that give every document the same kind of context, so the answers' sentences
// are what tells the documents apart.
std::string filler(int n) {
  static const char* kSentences[] = {
      "The parties agree to cooperate in good faith during the whole term. ",
      "All notices must be given in writing to the addresses stated above. ",
      "This agreement is governed by the laws of the place of performance. ",
      "Amendments require the consent of both parties and a written form. ",
      "Headings are for convenience only and do not affect interpretation. "};
  std::string out;
  for (int i = 0; i < n; ++i) out += kSentences[i % 5];
  return out;
}

class Api : public JsonApi {
 public:
  using JsonApi::JsonApi;
  int64_t workspace(const std::string& name) {
    return post("/documents/workspace-create", {{"name", name}})["workspace"]["id"];
  }
  // Waits until every chunk of the workspace has a vector (the background pass runs every 2 s).
  void wait_indexed(int64_t ws) {
    for (int i = 0; i < 300; ++i) {
      Json r = post("/documents/document-search",
                    {{"workspace_id", ws}, {"query", "anything"}, {"mode", "semantic"}});
      if (r["index_pending"] == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    FAIL() << "the semantic index never caught up";
  }
};

struct Corpus {
  int64_t ws = 0, other_ws = 0;
  std::string lease, supply, travel, elsewhere;
};

// Three contracts (the lease's second page holds its termination rule) and one in another
// workspace.
Corpus make_corpus(Api& a) {
  Corpus c;
  c.ws = a.workspace("Contracts");
  c.other_ws = a.workspace("Archive");
  c.lease = a.upload(c.ws, "lease.txt",
                     "Lease agreement for the office at Harbour Street 4. " + filler(8) +
                         "\fThe tenant may terminate the lease with three months notice to the "
                         "end of a calendar quarter. " +
                         filler(6))["pofid"];
  c.supply = a.upload(c.ws, "supply.txt",
                      "Supply agreement for copper cable. " + filler(7) +
                          "Payment is due within thirty days of the delivery of the goods. " +
                          filler(4))["pofid"];
  c.travel = a.upload(c.ws, "travel.txt",
                      "Travel policy. Employees book economy class for flights under six "
                      "hours. " +
                          filler(5))["pofid"];
  c.elsewhere = a.upload(c.other_ws, "archived_lease.txt",
                         "Archived lease of the depot. The tenant may terminate the lease at "
                         "any time. " +
                             filler(3))["pofid"];
  a.wait_indexed(c.ws);
  a.wait_indexed(c.other_ws);
  return c;
}

TEST(DmsRagApi, PassagesAnswerTheQuestionWithTheirPageAndAContext) {
  PaperdServer server;
  Api a(server, server.create_token("ut", "rag-passages", "enterprise"));
  Corpus c = make_corpus(a);
  Json r =
      a.post("/documents/document-search", {{"workspace_id", c.ws},
                                            {"mode", "rag"},
                                            {"query", "How can the tenant terminate the lease?"},
                                            {"limit", 3}});
  EXPECT_EQ(r["mode"], "rag");
  ASSERT_GE(r["results"].size(), 1u) << r.dump(2);
  const Json& best = r["results"][0];
  EXPECT_EQ(best["pofid"], c.lease) << r.dump(2);
  EXPECT_EQ(best["page"], 2) << "the termination rule is on the lease's second page";
  EXPECT_EQ(best["source_type"], "document");
  EXPECT_EQ(best["passage"], 1);
  EXPECT_NE(best["chunk_text"].get<std::string>().find("three months notice"), std::string::npos)
      << best.dump(2);
  std::string context = r["context"];
  EXPECT_EQ(context.rfind("[1] lease.txt, page 2:\n", 0), 0u) << context;
  EXPECT_NE(context.find("three months notice"), std::string::npos);
  for (const Json& hit : r["results"])
    EXPECT_NE(hit["pofid"], c.elsewhere) << "another workspace was not asked for";
  EXPECT_TRUE(r["answer"].is_null());

  // A question for another document finds that one's sentence.
  Json pay = a.post(
      "/documents/document-search",
      {{"workspace_id", c.ws}, {"mode", "rag"}, {"query", "When is payment due for the goods?"}});
  ASSERT_GE(pay["results"].size(), 1u) << pay.dump(2);
  EXPECT_EQ(pay["results"][0]["pofid"], c.supply);
  EXPECT_NE(pay["results"][0]["chunk_text"].get<std::string>().find("thirty days"),
            std::string::npos);

  // answer=true without an LLM: the passages, and why there is no answer.
  Json no_llm = a.post("/documents/document-search", {{"workspace_id", c.ws},
                                                      {"mode", "rag"},
                                                      {"answer", true},
                                                      {"query", "How can the tenant terminate?"}});
  EXPECT_TRUE(no_llm["answer"].is_null());
  EXPECT_EQ(no_llm["answer_status"], "ENGINE_NOT_CONFIGURED");
  EXPECT_NE(no_llm["answer_message"].get<std::string>().find("llm_url"), std::string::npos);
  EXPECT_GE(no_llm["results"].size(), 1u);

  // Refused: no question, an unknown source, an unknown mode.
  a.post("/documents/document-search", {{"mode", "rag"}}, 400);
  Json bad_source =
      a.post("/documents/document-search",
             {{"mode", "rag"}, {"query", "lease"}, {"source_types", "sharepoint"}}, 400);
  EXPECT_NE(bad_source.dump().find("sharepoint"), std::string::npos);
  Json bad_mode =
      a.post("/documents/document-search", {{"mode", "psychic"}, {"query", "lease"}}, 400);
  EXPECT_NE(bad_mode.dump().find("rag"), std::string::npos) << "names the modes there are";
}

// The operator's chat API on loopback: it receives the question and the numbered passages, and
// the citations of its answer point at those passages' documents and pages.
TEST(DmsRagApi, TheConfiguredLlmAnswersCitingThePassages) {
  std::mutex mu;
  Json seen;
  std::string auth;
  httplib::Server llm;
  llm.Post("/v1/chat/completions", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    seen = Json::parse(req.body);
    auth = req.get_header_value("Authorization");
    std::string user = seen["messages"][1]["content"];
    // Answers from what it was given: cites the passage holding "three months".
    size_t at = user.find("three months");
    size_t open = at == std::string::npos ? std::string::npos : user.rfind("\n[", at);
    if (open == std::string::npos) open = user.find('[');
    std::string n = user.substr(open + (user[open] == '\n' ? 2 : 1), 1);
    Json answer = {{"choices",
                    {{{"message",
                       {{"role", "assistant"},
                        {"content", "With three months notice to a quarter's end [" + n +
                                        "]. See also [99]."}}}}}}};
    res.set_content(answer.dump(), "application/json");
  });
  int port = llm.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { llm.listen_after_bind(); });
  {
    PaperdServer server({{"PAPERD_LLM_URL", "http://127.0.0.1:" + std::to_string(port) + "/v1"},
                         {"PAPERD_LLM_API_KEY", "sk-llm"},
                         {"PAPERD_LLM_MODEL", "local-chat"}},
                        1);
    Api a(server, server.create_token("ut", "rag-llm", "enterprise"));
    Corpus c = make_corpus(a);
    Json r = a.post("/documents/document-search", {{"workspace_id", c.ws},
                                                   {"mode", "rag"},
                                                   {"answer", true},
                                                   {"query", "How can the tenant end the lease?"}});
    EXPECT_EQ(r["answer_status"], "answered") << r.dump(2);
    EXPECT_EQ(r["answer_model"], "local-chat");
    EXPECT_NE(r["answer"].get<std::string>().find("three months"), std::string::npos);
    ASSERT_EQ(r["citations"].size(), 1u) << "[99] is no passage: " << r.dump(2);
    EXPECT_EQ(r["citations"][0]["pofid"], c.lease);
    EXPECT_EQ(r["citations"][0]["page"], 2);
    std::lock_guard lock(mu);
    EXPECT_EQ(auth, "Bearer sk-llm");
    EXPECT_EQ(seen["model"], "local-chat");
    std::string user = seen["messages"][1]["content"];
    EXPECT_NE(user.find("Question: How can the tenant end the lease?"), std::string::npos);
    EXPECT_NE(user.find(r["context"].get<std::string>()), std::string::npos)
        << "the LLM is given exactly the context the answer returns";
  }
  llm.stop();
  serving.join();
}

TEST(DmsRagApi, DocumentsListSearchesInTheModeAndScopeAsked) {
  PaperdServer server;
  Api a(server, server.create_token("ut", "ultimate", "enterprise"));
  Corpus c = make_corpus(a);
  auto list = [&](Json body, int status = 200) {
    return a.post("/documents/documents-list", body, status);
  };
  // intelligent (the default): words → hybrid; an identifier or search syntax → full text.
  Json words = list({{"workspace_id", c.ws}, {"global_search", "tenant lease"}, {"limit", 2}});
  EXPECT_EQ(words["search_mode"], "hybrid") << words.dump(2);
  EXPECT_EQ(words["documents"][0]["pofid"], c.lease);
  EXPECT_EQ(words["page"], 1);
  EXPECT_EQ(words["search_scope"], "current");
  for (const Json& d : words["documents"]) EXPECT_NE(d["pofid"], c.elsewhere);
  Json syntax = list({{"workspace_id", c.ws}, {"global_search", "\"copper cable\""}});
  EXPECT_EQ(syntax["search_mode"], "fulltext");
  ASSERT_EQ(syntax["total"], 1);
  EXPECT_EQ(syntax["documents"][0]["pofid"], c.supply);

  // search_scope=all: every workspace the token reaches.
  Json all = list({{"workspace_id", c.ws},
                   {"global_search", "depot"},
                   {"search_mode", "fulltext"},
                   {"search_scope", "all"}});
  ASSERT_EQ(all["total"], 1) << all.dump(2);
  EXPECT_EQ(all["documents"][0]["pofid"], c.elsewhere);
  EXPECT_EQ(list({{"workspace_id", c.ws},
                  {"global_search", "depot"},
                  {"search_mode", "fulltext"}})["total"],
            0);

  // search_preference sets the semantic weight of hybrid.
  Json keyword = list({{"workspace_id", c.ws},
                       {"global_search", "tenant"},
                       {"search_mode", "hybrid"},
                       {"search_preference", "keyword"}});
  EXPECT_EQ(keyword["semantic_weight"], 0.25);
  EXPECT_EQ(list({{"workspace_id", c.ws},
                  {"global_search", "tenant"},
                  {"search_mode", "hybrid"},
                  {"search_preference", "semantic"}})["semantic_weight"],
            0.75);

  // POST document-search defaults to hybrid, GET to full text.
  EXPECT_EQ(
      a.post("/documents/document-search", {{"workspace_id", c.ws}, {"query", "tenant"}})["mode"],
      "hybrid");
  EXPECT_EQ(a.get("/documents/document-search?workspace_id=" + std::to_string(c.ws) +
                  "&q=tenant")["mode"],
            "fulltext");

  // Refused, each naming its field.
  for (const auto& [body, field] : std::vector<std::pair<Json, std::string>>{
           {{{"global_search", "x"}, {"search_scope", "galaxy"}}, "search_scope"},
           {{{"global_search", "x"}, {"search_preference", "vibes"}}, "search_preference"},
           {{{"global_search", "x"}, {"search_mode", "psychic"}}, "psychic"},
           {{{"global_search", "x"}, {"search_mode", "hybrid"}, {"sort", "size"}}, "sort"},
           {{{"global_search", "x"}, {"limit", 501}}, "limit"}}) {
    Json e = list(body, 400);
    EXPECT_NE(e.dump().find(field), std::string::npos) << field << ": " << e.dump();
  }
}

// The vectors are held in memory; a document moved to the trash leaves semantic results with
// the next query, and a restored one comes back.
TEST(DmsRagApi, ATrashedDocumentLeavesSemanticResultsAtOnce) {
  PaperdServer server;
  Api a(server, server.create_token("ut", "vector-cache", "enterprise"));
  Corpus c = make_corpus(a);
  auto found = [&] {
    Json r = a.post("/documents/document-search", {{"workspace_id", c.ws},
                                                   {"mode", "semantic"},
                                                   {"query", "economy class flights"},
                                                   {"min_similarity", 0.05}});
    for (const Json& d : r["results"])
      if (d["pofid"] == c.travel) return true;
    return false;
  };
  ASSERT_TRUE(found());
  a.post("/documents/document-delete", {{"pofid", c.travel}});
  EXPECT_FALSE(found());
  a.post("/documents/document-restore", {{"pofid", c.travel}});
  EXPECT_TRUE(found());
}

// Query expansion: a document that says "automobile" and "physician" is found by "car doctor"
// through the thesauri (WordNet/MyThes synonyms), which full text alone cannot; the answer shows
// the expansion; expand=false takes the words literally; a language without a thesaurus is
// refused.
TEST(DmsExpansionApi, SynonymsFindWhatTheWordsMiss) {
  PaperdServer server;
  Api a(server, server.create_token("ut", "expansion", "enterprise"));
  int64_t ws = a.workspace("Fleet");
  std::string target =
      a.upload(ws, "fleet.txt",
               "The automobile of the physician was towed to the garage. " + filler(4))["pofid"];
  for (int i = 0; i < 6; ++i)
    a.upload(ws, "other" + std::to_string(i) + ".txt",
             "Quarterly minutes number " + std::to_string(i) + ". " + filler(5));
  a.wait_indexed(ws);
  auto search = [&](Json extra) {
    Json body = {{"workspace_id", ws}, {"query", "car doctor"}, {"mode", "hybrid"}};
    if (extra.is_object()) body.update(extra);
    return a.post("/documents/document-search", body);
  };
  EXPECT_EQ(search({{"mode", "fulltext"}})["total"], 0);
  Json r = search({});
  ASSERT_GE(r["results"].size(), 1u) << r.dump(2);
  EXPECT_EQ(r["results"][0]["pofid"], target) << r.dump(2);
  EXPECT_EQ(r["results"][0]["expanded_rank"], 1);
  bool automobile = false;
  for (const Json& t : r["query_expansion"]["car"]) automobile |= t["term"] == "automobile";
  EXPECT_TRUE(automobile) << r["query_expansion"].dump(2);
  Json en = search({{"language", "en"}});
  EXPECT_EQ(en["results"][0]["pofid"], target);
  Json literal = search({{"expand", false}});
  EXPECT_TRUE(literal["query_expansion"].empty());
  for (const Json& hit : literal["results"]) EXPECT_TRUE(hit["expanded_rank"].is_null());
  // Search syntax is taken literally.
  EXPECT_TRUE(search({{"query", "\"car doctor\""}})["query_expansion"].empty());
  Json refused = a.post(
      "/documents/document-search",
      {{"workspace_id", ws}, {"query", "car"}, {"mode", "hybrid"}, {"language", "tlh"}}, 400);
  EXPECT_NE(refused.dump().find("tlh"), std::string::npos);
}

}  // namespace
