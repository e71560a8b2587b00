// The generated documentation (CONTRACTS §2.11): OpenAPI, Postman, llms.txt, llms-full.txt and the
// MCP page. Each is built from the route table and the pipeline registry at request time (the
// table is complete by then) and cached per base URL. Free, no token needed.
#include <map>
#include <mutex>

#include "api/context.h"
#include "core/error.h"
#include "docs/llms.h"
#include "docs/markdown.h"
#include "docs/openapi.h"
#include "docs/postman.h"

namespace paperd::api {

using http::Auth;
using http::Request;
using http::Response;

namespace {

const std::string kCategory = "Documentation & Discovery";

// Built documents by kind and base URL. The base URL comes from the Host header, so the cache is
// bounded: a client sending many hosts only makes it rebuild.
class DocsCache {
 public:
  std::string get(const std::string& kind, const std::string& base_url,
                  const std::function<std::string()>& build) {
    std::string key = kind + "\n" + base_url;
    {
      std::lock_guard lock(mu_);
      auto it = entries_.find(key);
      if (it != entries_.end()) return it->second;
    }
    std::string doc = build();
    std::lock_guard lock(mu_);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.emplace(key, doc);
    return doc;
  }

 private:
  static constexpr size_t kMaxEntries = 16;
  std::mutex mu_;
  std::map<std::string, std::string> entries_;
};

struct Docs {
  ApiContext& ctx;
  DocsCache cache;

  std::string get(const std::string& kind, const Request& req,
                  std::string (*build)(const docs::Source&)) {
    return cache.get(kind, req.base_url, [&] {
      if (!ctx.router) throw core::Error::internal("the route table is not complete yet");
      docs::Source src{ctx.router->routes(), ctx.pipelines.all(), req.base_url, PAPERD_VERSION,
                       ctx.started_at};
      return build(src);
    });
  }
};

Response raw(std::string body, const char* content_type) {
  Response r;
  r.raw = std::move(body);
  r.content_type = content_type;
  r.headers.push_back({"Cache-Control", "public, max-age=300"});
  return r;
}

std::string openapi_text(const docs::Source& s) {
  return docs::openapi_document(s).dump();
}
std::string postman_text(const docs::Source& s) {
  return docs::postman_collection(s).dump();
}

}  // namespace

void add_docs_routes(http::Router& router, ApiContext& ctx) {
  auto d = std::make_shared<Docs>(ctx);
  auto route = [&](std::string method, std::string path, std::string title, std::string summary,
                   std::string mcp_name, http::Handler handler) {
    router.add({.method = std::move(method),
                .path = std::move(path),
                .category = kCategory,
                .title = std::move(title),
                .summary = std::move(summary),
                .auth = Auth::kVisitor,
                .credits = 0,
                .rate_limited = true,
                .mcp_name = std::move(mcp_name),
                .handler = std::move(handler)});
  };
  route("GET", "/docs/openapi.json", "Get OpenAPI description",
        "OpenAPI 3.1 document of every endpoint of this server: parameters, request bodies, "
        "envelopes, security. Generated from the route table.",
        "", [d](Request& req) {
          return raw(d->get("openapi", req, openapi_text), "application/json");
        });
  for (std::string method : {"GET", "POST"})
    route(method, "/docs/postman", "Get Postman collection",
          "Complete Postman collection (v2.1) with every endpoint and workflow tool, example "
          "bodies and tests. Import into Postman, Insomnia or Bruno, or run it with newman.",
          "", [d](Request& req) {
            return raw(d->get("postman", req, postman_text), "application/json");
          });
  route("GET", "/docs/llms.txt", "Get LLM index (llms.txt)",
        "Index of every endpoint and tool for LLMs, one line each, by category.", "",
        [d](Request& req) {
          return raw(d->get("llms", req, docs::llms_index), "text/plain; charset=utf-8");
        });
  route("GET", "/docs/llms-full.txt", "Get full LLM reference (llms-full.txt)",
        "Every endpoint and tool with its parameters (type, required, default, description) and "
        "an example answer.",
        "", [d](Request& req) {
          return raw(d->get("llms-full", req, docs::llms_full), "text/plain; charset=utf-8");
        });
  for (std::string method : {"POST", "GET"})
    route(method, "/docs/markdown", "Get MCP server AI integration info",
          "MCP Server - AI Tool integration: lanes, authentication, client setup and every tool, "
          "as Markdown in data.markdown.",
          method == "POST" ? "po_docs_markdown_get" : "", [d](Request& req) {
            return Response::json(
                {{"status", "success"},
                 {"data", {{"markdown", d->get("markdown", req, docs::mcp_markdown)}}}});
          });
}

}  // namespace paperd::api
