// Price lists, derived from the route table, the pipeline registry and the tier table; nothing
// here is written down twice.
#include "api/context.h"
#include "jobs/lanes.h"

namespace paperd::api {

using http::Auth;
using http::Request;
using http::Response;

namespace {

const std::string kCategory = "Account — Pricing & Plans";

Json lanes_json() {
  Json out = Json::array();
  for (auto lane : {jobs::Lane::kNoSla, jobs::Lane::kSla24h, jobs::Lane::kSla12h,
                    jobs::Lane::kSla6h, jobs::Lane::kSla1h, jobs::Lane::kInstant})
    out.push_back({{"processing_lane", jobs::lane_name(lane)},
                   {"credit_factor", jobs::credit_factor(lane)},
                   {"default_priority", jobs::default_priority(lane)},
                   {"max_wait_seconds", jobs::max_wait_seconds(lane)}});
  return out;
}

Json job_prices(ApiContext& ctx, const std::string& category) {
  Json out = Json::array();
  for (const auto* p : ctx.pipelines.all()) {
    Json per_lane = Json::object();
    for (auto lane : {jobs::Lane::kNoSla, jobs::Lane::kSla24h, jobs::Lane::kSla12h,
                      jobs::Lane::kSla6h, jobs::Lane::kSla1h, jobs::Lane::kInstant})
      per_lane[jobs::lane_name(lane)] = std::max<int64_t>(
          5, static_cast<int64_t>(std::ceil(p->credits * jobs::credit_factor(lane))));
    out.push_back({{"pipeline", p->name},
                   {"operation", p->operation},
                   {"title", p->title},
                   {"category", "jobs"},
                   {"endpoint", "POST /job/add/" + p->name},
                   {"credits", p->credits},
                   {"credits_by_lane", per_lane}});
  }
  for (const auto& r : ctx.router->routes()) {
    if (r.credits <= 0) continue;
    if (!category.empty() && r.category.find(category) == std::string::npos) continue;
    out.push_back({{"endpoint", r.method + " " + r.path},
                   {"title", r.title},
                   {"category", r.category},
                   {"credits", r.credits}});
  }
  return out;
}

}  // namespace

void add_billing_routes(http::Router& router, ApiContext& ctx) {
  router.add(
      {.method = "GET",
       .path = "/billing/pricing/tiers",
       .category = kCategory,
       .title = "List pricing plans and tiers",
       .summary = "Tiers with prices, monthly credits, rate limits and features.",
       .auth = Auth::kVisitor,
       .mcp_name = "po_billing_pricing_tiers_list",
       .handler = [&ctx](Request&) {
         return Response::json({{"status", "success"}, {"data", {{"tiers", ctx.tiers.to_json()}}}});
       }});
  router.add({.method = "GET",
              .path = "/billing/pricing/jobs",
              .category = kCategory,
              .title = "List API job costs per service",
              .summary = "Credit cost of every pipeline (per processing lane) and every billed "
                         "endpoint; ?category= filters.",
              .auth = Auth::kVisitor,
              .params = {{.name = "category", .description = "substring of the category"}},
              .mcp_name = "po_billing_pricing_jobs_list",
              .handler = [&ctx](Request& req) {
                return Response::json({{"status", "success"},
                                       {"data",
                                        {{"jobs", job_prices(ctx, req.params.str("category"))},
                                         {"processing_lanes", lanes_json()},
                                         {"minimum_credits_per_call", 5}}}});
              }});
  router.add(
      {.method = "GET",
       .path = "/billing/pricing/all",
       .category = kCategory,
       .title = "Calculate pricing (full)",
       .summary = "Tiers, job costs and the priority system in one answer.",
       .auth = Auth::kVisitor,
       .mcp_name = "po_billing_pricing_all_get",
       .handler = [&ctx](Request&) {
         return Response::json(
             {{"status", "success"},
              {"data",
               {{"tiers", ctx.tiers.to_json()},
                {"jobs", job_prices(ctx, "")},
                {"processing_lanes", lanes_json()},
                {"free_endpoints", {"GET /health", "GET /job/get/*", "/billing/*", "/docs/*"}},
                {"minimum_credits_per_call", 5}}}});
       }});
  router.add({.method = "GET",
              .path = "/job/pricelist",
              .category = "Workflow AI — Job Management",
              .title = "Get pricelist",
              .summary = "All API methods with their credit costs. Cost: 10 credits.",
              .credits = 10,
              .mcp_name = "po_job_pricelist_get",
              .handler = [&ctx](Request&) {
                Json list = Json::array();
                for (const auto& r : ctx.router->routes())
                  list.push_back(
                      {{"endpoint", r.method + " " + r.path},
                       {"title", r.title},
                       {"category", r.category},
                       {"credits", r.credits == http::kDynamicPrice ? Json("per pipeline")
                                                                    : Json(r.credits)}});
                return Response::json({{"status", "success"},
                                       {"data",
                                        {{"pricelist", list},
                                         {"pipelines", job_prices(ctx, "jobs")},
                                         {"processing_lanes", lanes_json()}}}});
              }});
}

}  // namespace paperd::api
