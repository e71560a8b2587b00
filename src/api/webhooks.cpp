// The webhook routes ("Account — Webhooks", CONTRACTS §2.8): subscribe, list, update, delete,
// info, test, the delivery log, and one-time job subscriptions. The work is
// services/webhooks/webhooks.h; deliveries go out from the dispatcher (services/webhooks/
// dispatcher.h), never from a request, except the test event, whose outcome is the answer.
#include "services/webhooks/webhooks.h"
#include "api/context.h"
#include "core/error.h"

namespace paperd::api {

using http::Param;
using http::ParamType;
using http::Request;
using http::Response;

namespace {

const std::string kCategory = "Account — Webhooks";

Param subscription_param() {
  return {.name = "subscription_id",
          .type = ParamType::kInteger,
          .required = true,
          .description = "the subscription's id (also 'id')",
          .example = 1};
}

// subscription_id, or its alias id.
int64_t subscription_of(const Request& req) {
  if (auto id = req.params.opt_integer("subscription_id")) return *id;
  if (auto id = req.params.opt_integer("id")) return *id;
  throw core::Error::invalid_request("subscription_id is required");
}

std::vector<Param> delivery_params(bool job) {
  std::vector<Param> p = {
      {.name = "url",
       .required = true,
       .description = "where events are POSTed: https (plain http only for hosts allow-listed "
                      "in PAPERD_OUTBOUND_ALLOW)",
       .example = "https://example.com/paperoffice/webhook"},
      {.name = "events",
       .type = ParamType::kArray,
       .description = job ? "job events to fire on (default job.completed, job.failed); the "
                            "first one fires it"
                          : "event names, or [\"*\"] for all (default); GET /webhooks/info lists "
                            "them",
       .example = job ? Json::array({"job.completed", "job.failed"})
                      : Json::array({"document.uploaded", "job.completed"})},
      {.name = "secret",
       .description = "HMAC-SHA256 key, 16-256 characters; generated and returned once when "
                      "absent"}};
  return p;
}

}  // namespace

void add_webhook_routes(http::Router& router, ApiContext& ctx) {
  auto hooks = ctx.webhooks;
  // A filter names a job's slug: a pipeline's own name, or workflow for the templates.
  const jobs::PipelineRegistry& pipelines = ctx.pipelines;
  hooks->set_pipeline_check([&pipelines](const std::string& slug) {
    return slug == "workflow" || pipelines.find(slug) != nullptr;
  });

  Param filters{.name = "filters",
                .type = ParamType::kObject,
                .description =
                    "only events of these workspaces or job pipelines: "
                    "{\"workspace_id\": [17], \"pipeline\": [\"ocr___text\"]}"};
  std::vector<Param> subscribe = {{.name = "name",
                                   .required = true,
                                   .description = "unique in the account",
                                   .example = "my-webhook"}};
  for (auto& p : delivery_params(false)) subscribe.push_back(p);
  subscribe.push_back(filters);
  subscribe.push_back({.name = "description", .description = "what the subscription is for"});
  router.add({.method = "POST",
              .path = "/webhooks/subscribe",
              .category = kCategory,
              .title = "Create Webhook Subscription",
              .summary = "Create a new webhook subscription: events are POSTed to its URL, "
                         "signed with HMAC-SHA256 (X-PaperOffice-Signature), retried with "
                         "backoff until a 2xx. The secret is returned once when generated.",
              .params = subscribe,
              .mcp_name = "po_webhooks_subscribe",
              .read_only = false,
              .handler = [hooks](Request& req) {
                return Response::json(hooks->subscribe(req.principal, req.params.raw()));
              }});
  router.add(
      {.method = "GET",
       .path = "/webhooks/list",
       .category = kCategory,
       .title = "List Webhook Subscriptions",
       .summary = "All webhook subscriptions of the account: name, URL, events, "
                  "filters, status (active, paused, disabled) and its reason.",
       .mcp_name = "po_webhooks_list",
       .handler = [hooks](Request& req) { return Response::json(hooks->list(req.principal)); }});
  std::vector<Param> update = {subscription_param(), {.name = "name"}};
  for (auto& p : delivery_params(false)) update.push_back(p);
  update[2].required = false;  // url
  update.push_back(filters);
  update.push_back({.name = "description"});
  update.push_back({.name = "status",
                    .description = "active resumes a paused or disabled subscription",
                    .enum_values = {"active", "paused"}});
  update.push_back({.name = "rotate_secret",
                    .type = ParamType::kBoolean,
                    .description = "generate a new secret and return it once"});
  router.add({.method = "POST",
              .path = "/webhooks/update",
              .category = kCategory,
              .title = "Update Webhook Subscription",
              .summary = "Change a subscription's name, URL, events, filters or secret; "
                         "status=active resumes a paused or disabled one.",
              .params = update,
              .mcp_name = "po_webhooks_update",
              .read_only = false,
              .handler = [hooks](Request& req) {
                return Response::json(
                    hooks->update(req.principal, subscription_of(req), req.params.raw()));
              }});
  router.add({.method = "POST",
              .path = "/webhooks/delete",
              .category = kCategory,
              .title = "Delete Webhook Subscription",
              .summary = "Delete a webhook subscription; its pending deliveries are cancelled. "
                         "The delivery log is preserved.",
              .params = {subscription_param()},
              .mcp_name = "po_webhooks_delete",
              .read_only = false,
              .destructive = true,
              .handler = [hooks](Request& req) {
                return Response::json(hooks->remove(req.principal, subscription_of(req)));
              }});
  router.add({.method = "GET",
              .path = "/webhooks/info",
              .category = kCategory,
              .title = "Get webhook system info",
              .summary = "Webhook system overview: the events a subscription may name, the "
                         "headers of a delivery, the signature scheme, the retry schedule.",
              .mcp_name = "po_webhooks_info_get",
              .handler = [hooks](Request&) { return Response::json(hooks->info()); }});
  router.add({.method = "POST",
              .path = "/webhooks/test",
              .category = kCategory,
              .title = "Test webhook",
              .summary = "Send a signed test event to a subscription now; the answer is the "
                         "outcome: delivered, status_code, latency_ms, response_snippet, error.",
              .params = {subscription_param()},
              .mcp_name = "po_webhooks_test",
              .read_only = false,
              .handler = [hooks](Request& req) {
                return Response::json(hooks->test(req.principal, subscription_of(req)));
              }});
  router.add(
      {.method = "GET",
       .path = "/webhooks/deliveries",
       .category = kCategory,
       .title = "List webhook deliveries",
       .summary = "The delivery log, newest first: event, attempt, status code, latency, "
                  "response snippet, next retry, and each attempt.",
       .params = {{.name = "subscription_id",
                   .type = ParamType::kInteger,
                   .description = "one subscription's deliveries (deleted ones too)"},
                  {.name = "state",
                   .enum_values = {"pending", "delivering", "delivered", "failed", "cancelled"}},
                  {.name = "event_type", .description = "e.g. job.completed"},
                  {.name = "page", .type = ParamType::kInteger, .default_value = 1, .minimum = 1},
                  {.name = "per_page",
                   .type = ParamType::kInteger,
                   .default_value = 20,
                   .minimum = 1,
                   .maximum = 100}},
       .mcp_name = "po_webhooks_deliveries_list",
       .handler = [hooks](Request& req) {
         services::webhooks::DeliveryQuery q;
         q.subscription_id = req.params.opt_integer("subscription_id");
         q.state = req.params.str("state");
         q.event_type = req.params.str("event_type");
         q.page = req.params.integer("page", 1);
         q.per_page = req.params.integer("per_page", 20);
         return Response::json(hooks->deliveries(req.principal, q));
       }});
  std::vector<Param> job = {{.name = "job_id",
                             .required = true,
                             .description = "the job to hear about",
                             .example = "poai-job_500_1776600000.0000_0a1b2c3d"}};
  for (auto& p : delivery_params(true)) job.push_back(p);
  job.push_back({.name = "name", .description = "default: job <job_id>"});
  router.add({.method = "POST",
              .path = "/webhooks/subscribe-job",
              .category = kCategory,
              .title = "Subscribe to Job",
              .summary = "Create a one-time webhook subscription for one job id: it fires on "
                         "the job's first matching event (default job.completed or job.failed; "
                         "at once when the job already ended) and is removed after delivery.",
              .params = job,
              .mcp_name = "po_webhooks_job_subscribe",
              .read_only = false,
              .handler = [hooks](Request& req) {
                return Response::json(hooks->subscribe_job(req.principal, req.params.raw()));
              }});
  router.add({.method = "GET",
              .path = "/webhooks/job-subscriptions",
              .category = kCategory,
              .title = "List Job Subscriptions",
              .summary = "The account's one-time job subscriptions that have not been delivered "
                         "yet (active, or fired and in delivery).",
              .params = {{.name = "job_id", .description = "only this job's"}},
              .mcp_name = "po_webhooks_job_subscriptions_list",
              .handler = [hooks](Request& req) {
                return Response::json(
                    hooks->job_subscriptions(req.principal, req.params.str("job_id")));
              }});
}

}  // namespace paperd::api
