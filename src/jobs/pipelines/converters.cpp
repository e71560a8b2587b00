// The child-process converters (engines/convert): office_to_pdf and
// paperoffice_dataripper___office2pdf through the worker's pool of warm LibreOffice instances,
// url_to_pdf and html_to_pdf through headless Chromium, ebook_to_pdf through Calibre.
// The outbound guard for Chromium lives here, not in the engine: every request the page makes is
// answered by a loader that checks the address with net::check_url and fetches with net::fetch
// (pinned to the checked addresses), so the engine never needs src/net.
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <memory>
#include <set>

#include "core/error.h"
#include "core/fs.h"
#include "core/json_guard.h"
#include "engines/convert/chromium_printer.h"
#include "engines/convert/convert_errors.h"
#include "engines/convert/ebook_converter.h"
#include "engines/convert/office_pool.h"
#include "engines/pdf/pdf_document.h"
#include "jobs/pipelines/pipelines.h"
#include "net/fetch.h"
#include "net/ssrf.h"

namespace paperd::jobs {

namespace {

namespace cv = engines::convert;
using core::Error;
using http::Param;
using http::ParamType;

const std::set<std::string> kOfficeExtensions = {
    "doc",  "docx", "docm", "dot",  "dotx",  "dotm",    "odt",  "ott", "fodt", "rtf",  "txt",
    "xls",  "xlsx", "xlsm", "xlsb", "xlt",   "xltx",    "ods",  "ots", "fods", "csv",  "tsv",
    "ppt",  "pptx", "pptm", "pps",  "ppsx",  "pot",     "potx", "odp", "otp",  "fodp", "odg",
    "html", "htm",  "wpd",  "wps",  "pages", "numbers", "key",  "abw", "vsd",  "vsdx", "pub"};
const std::set<std::string> kEbookExtensions = {"epub", "mobi", "azw", "azw3", "prc", "fb2", "fbz"};
const std::set<std::string> kHtmlExtensions = {"html", "htm", "xhtml"};
constexpr const char* kCategory = "Document AI — PDF";
constexpr size_t kMaxInjectBytes = 256 * 1024;
constexpr uint64_t kMaxPageBytes = 100ull << 20;  // everything one page may pull in
constexpr uint64_t kMaxResourceBytes = 25ull << 20;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string extension_of(const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  return ext.empty() ? ext : lower(ext.substr(1));
}

// "report.docx" → "report.pdf", unique within one job's outputs.
std::string pdf_name(const std::string& name, std::set<std::string>& used) {
  std::string stem = std::filesystem::path(name).stem().string();
  if (stem.empty() || stem == "download") stem = "document";
  std::string candidate = stem + ".pdf";
  for (int i = 2; used.contains(candidate); ++i)
    candidate = stem + "-" + std::to_string(i) + ".pdf";
  used.insert(candidate);
  return candidate;
}

std::string requested_pdf_name(const http::Params& p, const std::string& fallback) {
  std::string name = p.str("output_filename");
  if (name.empty()) return fallback;
  for (char& c : name)
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  if (!lower(name).ends_with(".pdf")) name += ".pdf";
  return name;
}

// Adds the PDF as an output and describes it (pages counted by MuPDF, within the page limit).
Json add_pdf(PipelineContext& ctx, const core::Config& config, const std::filesystem::path& pdf,
             const std::string& filename) {
  int pages =
      engines::pdf::Document::open(pdf, "", {config.max_pages, config.max_megapixels}).page_count();
  std::string url = ctx.add_output(pdf, filename, "application/pdf");
  return {{"filename", filename},
          {"url", url},
          {"pages", pages},
          {"size", std::filesystem::file_size(pdf)}};
}

// Runs an engine call; an engine stopped by cancellation reports the job's own cancellation.
template <class F>
auto run_engine(PipelineContext& ctx, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    if (e.code() == "CONVERSION_CANCELLED") ctx.check_cancelled();
    throw;
  }
}

int convert_timeout_ms(const core::Config& config) {
  return std::max(1, config.convert_timeout_seconds) * 1000;
}

Json files_result(const Json& documents) {
  Json files = Json::array();
  int pages = 0;
  for (const auto& d : documents) {
    files.push_back(d["url"]);
    pages += d["pages"].get<int>();
  }
  return {{"files", files}, {"documents", documents}, {"total_pages", pages}};
}

// ---- office → PDF ---------------------------------------------------------------------------

void validate_office(const http::Params&, const std::vector<InputFile>& inputs) {
  for (const auto& in : inputs) {
    if (!in.source_url.empty()) continue;  // named only once fetched
    std::string ext = extension_of(in.filename);
    if (!ext.empty() && !kOfficeExtensions.contains(ext))
      throw cv::unsupported_document(
          in.filename, "." + ext +
                           " is not an office format (DOCX, DOC, XLSX, XLS, PPTX, PPT, ODT, ODS, "
                           "ODP, RTF, TXT, CSV, HTML, ...)");
  }
}

Json run_office(PipelineContext& ctx, const core::Config& config, cv::OfficePool& pool) {
  std::vector<cv::OfficeFile> files;
  std::vector<std::string> names;
  std::set<std::string> used;
  auto out_dir = ctx.temp_dir() / "pdf";
  std::filesystem::create_directories(out_dir);
  const auto& inputs = ctx.inputs();
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string name = inputs.size() == 1 ? requested_pdf_name(ctx.params(), "") : std::string();
    if (name.empty()) name = pdf_name(inputs[i].filename, used);
    names.push_back(name);
    files.push_back({inputs[i].path, out_dir / (std::to_string(i) + ".pdf"), inputs[i].filename});
  }
  ctx.progress(5, "converting with LibreOffice");
  auto conversions = run_engine(ctx, [&] {
    return pool.convert(files, convert_timeout_ms(config), [&ctx] { return ctx.cancelled(); });
  });
  ctx.progress(90, "storing PDFs");
  Json documents = Json::array();
  for (size_t i = 0; i < files.size(); ++i) {
    Json d = add_pdf(ctx, config, files[i].output, names[i]);
    d["input"] = inputs[i].filename;
    d["import_filter"] = conversions[i].import_filter;
    d["convert_ms"] = std::round(conversions[i].ms * 10) / 10;
    documents.push_back(std::move(d));
  }
  return files_result(documents);
}

std::vector<Param> office_params() {
  return {param("output_filename", ParamType::kString,
                "Name of the PDF when one file is converted (default: the input's name)")};
}

// ---- URL / HTML → PDF -------------------------------------------------------------------------

// The host of a URL as curl parses it (lower case, IPv6 without brackets, as net::CheckedUrl
// has it); empty when it does not parse.
std::string url_host(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> h(curl_url(), curl_url_cleanup);
  if (!h || curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  char* host = nullptr;
  if (curl_url_get(h.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) return {};
  std::string out = lower(host);
  curl_free(host);
  if (out.size() > 1 && out.front() == '[' && out.back() == ']')
    out = out.substr(1, out.size() - 2);
  return out;
}

// A URL in curl's normalised form, as net::fetch reports final_url.
std::string normalised_url(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> h(curl_url(), curl_url_cleanup);
  if (!h || curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return url;
  char* out = nullptr;
  if (curl_url_get(h.get(), CURLUPART_URL, &out, 0) != CURLUE_OK) return url;
  std::string s = out;
  curl_free(out);
  return s;
}

bool is_token(const std::string& s) {
  static const std::string kSeparators = "()<>@,;:\\\"/[]?={} \t";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c > 32 && c < 127 && kSeparators.find(c) == std::string::npos;
  });
}

bool is_clean_value(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == 0; });
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

// `cookies`: a JSON object {"name": "value"} or a header-style "a=b; c=d".
std::vector<std::pair<std::string, std::string>> parse_cookies(const http::Params& p) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!p.has("cookies")) return out;
  Json v = p.raw()["cookies"];
  if (v.is_string()) {
    Json parsed = core::parse_untrusted_json(v.get<std::string>(), {}, "field 'cookies'");
    if (parsed.is_object()) v = parsed;
  }
  if (v.is_object()) {
    for (auto& [k, value] : v.items())
      out.emplace_back(k, value.is_string() ? value.get<std::string>() : value.dump());
  } else if (v.is_string()) {
    std::string text = v.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = std::min(text.find(';', start), text.size());
      std::string pair = trim(text.substr(start, end - start));
      if (!pair.empty()) {
        auto eq = pair.find('=');
        if (eq == std::string::npos)
          throw Error::invalid_request("field 'cookies': '" + pair + "' is not name=value");
        out.emplace_back(trim(pair.substr(0, eq)), trim(pair.substr(eq + 1)));
      }
      start = end + 1;
    }
  } else {
    throw Error::invalid_request(
        "field 'cookies' must be a JSON object {\"name\":\"value\"} or \"a=b; c=d\"");
  }
  for (auto& [name, value] : out) {
    if (!is_token(name) || !is_clean_value(value) || value.find(';') != std::string::npos)
      throw Error::invalid_request("field 'cookies': cookie '" + name.substr(0, 60) +
                                   "' has a name or value that is not allowed");
  }
  if (out.size() > 100) throw Error::invalid_request("field 'cookies' holds more than 100 cookies");
  return out;
}

// `headers`: a JSON object {"Name": "value"}; hop-by-hop and framing headers are refused.
std::vector<std::string> parse_headers(const http::Params& p) {
  std::vector<std::string> out;
  if (!p.has("headers")) return out;
  Json v = p.raw()["headers"];
  if (v.is_string()) v = core::parse_untrusted_json(v.get<std::string>(), {}, "field 'headers'");
  if (!v.is_object())
    throw Error::invalid_request("field 'headers' must be a JSON object {\"Name\": \"value\"}");
  static const std::set<std::string> kRefused = {
      "host",    "content-length", "transfer-encoding",   "connection",       "upgrade", "te",
      "trailer", "keep-alive",     "proxy-authorization", "proxy-connection", "cookie"};
  for (auto& [name, value] : v.items()) {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (!is_token(name) || !is_clean_value(text))
      throw Error::invalid_request("field 'headers': header '" + name.substr(0, 60) +
                                   "' has a name or value that is not allowed");
    if (kRefused.contains(lower(name)))
      throw Error::invalid_request("field 'headers': '" + name +
                                   "' cannot be set (use 'cookies' for cookies)");
    out.push_back(name + ": " + text);
  }
  if (out.size() > 50) throw Error::invalid_request("field 'headers' holds more than 50 headers");
  return out;
}

struct WebJob {
  cv::PrintRequest print;
  std::vector<std::string> headers;
  std::string cookie_header;
  std::string host;  // cookies and headers go to this host only
  std::string output_name;
};

// Page setup, injections and waits shared by url_to_pdf and html_to_pdf; throws 400 naming
// the field.
void read_page_options(const http::Params& p, const core::Config& config, WebJob& job) {
  std::string paper = p.str("paper_size", "A4");
  auto size = cv::paper_size_inches(paper);
  if (!size)
    throw Error::invalid_request("field 'paper_size' must be one of: A4, Letter, Legal, A3");
  job.print.page.width_in = size->first;
  job.print.page.height_in = size->second;
  job.print.page.landscape = p.boolean("landscape", false);
  job.print.page.print_background = p.boolean("print_background", true);
  double margin = p.number("margin_mm", 10);
  if (!(margin >= 0 && margin <= 50))
    throw Error::invalid_request("field 'margin_mm' must be between 0 and 50");
  job.print.page.margin_mm = margin;
  job.print.inject_css = p.str("inject_css");
  job.print.inject_js = p.str("inject_js");
  for (const char* field : {"inject_css", "inject_js"})
    if (p.str(field).size() > kMaxInjectBytes)
      throw Error::invalid_request(std::string("field '") + field + "' is longer than 256 KB");
  job.print.timeout_ms = convert_timeout_ms(config);
  if (p.has("wait_for")) {
    const Json& w = p.raw()["wait_for"];
    std::string text = w.is_string() ? trim(w.get<std::string>()) : w.dump();
    bool numeric = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (numeric) {
      int64_t ms = text.size() > 9 ? INT64_MAX : std::stoll(text);
      if (ms >= job.print.timeout_ms)
        throw Error::invalid_request("field 'wait_for' (" + text +
                                     " ms) must be shorter than the conversion time limit of " +
                                     std::to_string(job.print.timeout_ms / 1000) + " s");
      job.print.wait_ms = static_cast<int>(ms);
    } else if (!text.empty()) {
      if (text.size() > 1000 || !is_clean_value(text))
        throw Error::invalid_request("field 'wait_for' must be milliseconds or a CSS selector");
      job.print.wait_selector = text;
    }
  }
  job.print.cookies = parse_cookies(p);
  job.headers = parse_headers(p);
  for (const auto& [name, value] : job.print.cookies)
    job.cookie_header += (job.cookie_header.empty() ? "" : "; ") + name + "=" + value;
}

// The loader Chromium's requests go through: SSRF-checked, size-bounded, and credentials
// (the client's cookies and headers) only for the page's own host.
cv::WebLoader make_loader(const net::OutboundPolicy& policy, const WebJob& job) {
  auto budget = std::make_shared<std::atomic<int64_t>>(static_cast<int64_t>(kMaxPageBytes));
  return [policy, budget, host = job.host, headers = job.headers,
          cookie = job.cookie_header](const cv::WebRequest& req) {
    int64_t left = budget->load();
    if (left <= 0)
      throw Error::input_too_large("the page pulled in more than 100 MB; further requests refused",
                                   400);
    net::FetchOptions o;
    o.param = req.main_document ? "url" : "resource";
    o.method = req.method;
    o.body = req.body;
    o.max_bytes = std::min<uint64_t>(kMaxResourceBytes, static_cast<uint64_t>(left));
    o.timeout_seconds = std::clamp(req.timeout_ms / 1000, 1, 60);
    if (!host.empty() && url_host(req.url) == host) {
      o.headers = headers;
      if (!cookie.empty()) o.headers.push_back("Cookie: " + cookie);
    }
    std::string body;
    auto r = net::fetch_to_string(req.url, body, policy, o);
    budget->fetch_sub(static_cast<int64_t>(body.size()));
    cv::WebResponse res;
    res.status = static_cast<int>(r.http_status);
    res.content_type = r.content_type;
    // A redirected document is handed back as a redirect, so relative links resolve against
    // where it really came from.
    if ((req.main_document || req.resource_type == "Document") &&
        r.final_url != normalised_url(req.url)) {
      res.redirect_to = r.final_url;
    } else {
      res.body = std::move(body);
    }
    return res;
  };
}

// The HTML source when no url is given: the `html` field, or the uploaded HTML file with its
// companions (CSS, images) served next to it. Returns false when there is none.
bool local_source(PipelineContext& ctx, WebJob& job) {
  const http::Params& p = ctx.params();
  std::string entry_name;
  if (p.has("html")) {
    auto file = ctx.temp_dir() / "inline.html";
    core::atomic_write_file(file, p.str("html"));
    job.print.local_files["index.html"] = file;
    entry_name = "document";
  }
  for (const auto& in : ctx.inputs()) {
    bool html = kHtmlExtensions.contains(extension_of(in.filename)) ||
                in.content_type.starts_with("text/html");
    if (html && entry_name.empty()) {
      job.print.local_files["index.html"] = in.path;
      entry_name = in.filename;
    } else if (!job.print.local_files.contains(in.filename)) {
      job.print.local_files[in.filename] = in.path;
    }
  }
  if (entry_name.empty()) return false;
  job.print.url = std::string(cv::kLocalOrigin) + "index.html";
  std::set<std::string> used;
  job.output_name = requested_pdf_name(p, pdf_name(entry_name, used));
  return true;
}

Json run_web(PipelineContext& ctx, const core::Config& config, bool url_allowed) {
  const http::Params& p = ctx.params();
  WebJob job;
  read_page_options(p, config, job);
  auto policy = net::OutboundPolicy::parse(config.outbound_allow);
  std::string url = url_allowed ? p.str("url") : "";
  if (!url.empty()) {
    // Checked before Chromium starts; the loader checks again on every request.
    net::CheckedUrl checked = net::check_url(url, policy, "url");
    job.print.url = checked.url;
    job.host = lower(checked.host);
    job.output_name = requested_pdf_name(p, checked.host + ".pdf");
  } else if (!local_source(ctx, job)) {
    throw Error::invalid_request(
        url_allowed ? "field 'url' is required (or upload an HTML file, or give 'html')"
                    : "give 'html' or upload an HTML file ('file')");
  }
  cv::ChromiumOptions options;
  options.work_dir = ctx.temp_dir();
  auto pdf = ctx.temp_dir() / "page.pdf";
  ctx.progress(10, "rendering with Chromium");
  auto printed = run_engine(ctx, [&] {
    return cv::print_to_pdf(options, job.print, make_loader(policy, job), pdf,
                            [&ctx] { return ctx.cancelled(); });
  });
  ctx.progress(90, "storing the PDF");
  Json d = add_pdf(ctx, config, pdf, job.output_name);
  if (!url.empty()) d["source_url"] = job.print.url;
  d["title"] = printed.title;
  Json result = files_result(Json::array({d}));
  result["requests"] = printed.requests;
  result["blocked_requests"] = printed.blocked;
  return result;
}

void validate_web(const http::Params& p, const std::vector<InputFile>& inputs,
                  const core::Config& config, bool url_allowed) {
  WebJob job;
  read_page_options(p, config, job);
  std::string url = url_allowed ? p.str("url") : "";
  if (!url.empty()) {
    net::check_url(url, net::OutboundPolicy::parse(config.outbound_allow), "url");
    return;
  }
  bool has_html = p.has("html") && !p.str("html").empty();
  for (const auto& in : inputs)
    has_html |= kHtmlExtensions.contains(extension_of(in.filename)) ||
                in.content_type.starts_with("text/html") || !in.source_url.empty();
  if (!has_html)
    throw Error::invalid_request(
        url_allowed ? "field 'url' is required (or upload an HTML file, or give 'html')"
                    : "give 'html' or upload an HTML file ('file', .html)");
}

std::vector<Param> web_params(bool url_allowed) {
  std::vector<Param> ps;
  if (url_allowed)
    ps.push_back(param("url", ParamType::kString,
                       "http(s) page to print; private addresses are refused unless allowed by "
                       "PAPERD_OUTBOUND_ALLOW"));
  ps.push_back(param("html", ParamType::kString, "HTML to print instead of a URL or file"));
  ps.push_back(param("cookies", ParamType::kAny,
                     "Cookies for the page's host: JSON object or \"a=b; c=d\""));
  ps.push_back(
      param("headers", ParamType::kAny, "Extra request headers for the page's host (JSON object)"));
  ps.push_back(param("inject_css", ParamType::kString, "CSS added once the page has loaded"));
  ps.push_back(param("inject_js", ParamType::kString,
                     "JavaScript run once the page has loaded (a promise is awaited)"));
  ps.push_back(param("paper_size", ParamType::kString, "A4, Letter, Legal or A3", "A4"));
  ps.push_back(param("landscape", ParamType::kBoolean, "Landscape orientation", false));
  ps.push_back(param("margin_mm", ParamType::kNumber, "Margin on every side in mm", 10, 0, 50));
  ps.push_back(param("wait_for", ParamType::kAny,
                     "Milliseconds to wait after load, or a CSS selector to wait for"));
  ps.push_back(
      param("print_background", ParamType::kBoolean, "Print background colours and images", true));
  ps.push_back(param("output_filename", ParamType::kString, "Name of the PDF"));
  return ps;
}

// ---- e-book → PDF -----------------------------------------------------------------------------

void validate_ebook(const http::Params& p, const std::vector<InputFile>& inputs) {
  std::string paper = lower(p.str("paper_size", "A4"));
  if (!cv::paper_size_inches(paper))
    throw Error::invalid_request("field 'paper_size' must be one of: A4, Letter, Legal, A3");
  for (const auto& in : inputs) {
    if (!in.source_url.empty()) continue;
    std::string ext = extension_of(in.filename);
    if (!ext.empty() && !kEbookExtensions.contains(ext))
      throw cv::unsupported_document(in.filename, "." + ext +
                                                      " is not an e-book format (EPUB, MOBI, "
                                                      "AZW3, FB2)");
  }
}

Json run_ebook(PipelineContext& ctx, const core::Config& config) {
  cv::EbookOptions options;
  options.work_dir = ctx.temp_dir();
  options.timeout_ms = convert_timeout_ms(config);
  options.paper_size = lower(ctx.params().str("paper_size", "A4"));
  const auto& inputs = ctx.inputs();
  std::set<std::string> used;
  Json documents = Json::array();
  for (size_t i = 0; i < inputs.size(); ++i) {
    ctx.check_cancelled();
    ctx.progress(static_cast<int>(5 + 85 * i / inputs.size()), "converting with Calibre");
    auto pdf = ctx.temp_dir() / ("book-" + std::to_string(i) + ".pdf");
    auto converted = cv::ebook_to_pdf(options, inputs[i].path, inputs[i].filename, pdf);
    std::string name = inputs.size() == 1 ? requested_pdf_name(ctx.params(), "") : "";
    if (name.empty()) name = pdf_name(inputs[i].filename, used);
    Json d = add_pdf(ctx, config, pdf, name);
    d["input"] = inputs[i].filename;
    d["format"] = converted.format;
    documents.push_back(std::move(d));
  }
  return files_result(documents);
}

}  // namespace

void register_converter_pipelines(PipelineRegistry& registry, const core::Config& config) {
  // One pool per process; it starts LibreOffice only when a job first needs it (so the API
  // process, which never runs jobs, never does) and lives as long as the registry.
  cv::OfficeOptions office;
  office.work_dir = config.tmp_dir();
  auto pool = std::make_shared<cv::OfficePool>(office, std::max(1, config.office_pool_size));
  auto office_run = [config, pool](PipelineContext& ctx) { return run_office(ctx, config, *pool); };

  // Each serves one index row (its tool variant), described by the pipeline's summary.
  registry.add(
      {.name = "workflow/office_to_pdf",
       .operation = "office_to_pdf",
       .title = "Convert office document to PDF",
       .credits = 5,
       .params = office_params(),
       .validate = validate_office,
       .run = office_run,
       .tools = {{.mcp_name = "po_office_convert_pdf", .title = "Convert office document to PDF"}},
       .category = kCategory,
       .summary = "Convert Office documents to PDF with LibreOffice: DOCX, DOC, XLSX, XLS, "
                  "PPTX, PPT, ODT, ODS, ODP, RTF, TXT, CSV, HTML; several files give "
                  "several PDFs. Formulas are recalculated."});
  registry.add({.name = "paperoffice_dataripper___office2pdf",
                .operation = "office2pdf",
                .title = "Office to PDF (DataRipper)",
                .credits = 5,
                .params = office_params(),
                .validate = validate_office,
                .run = office_run,
                .category = kCategory,
                .summary = "The same conversion as template office_to_pdf under the DataRipper "
                           "pipeline slug."});
  registry.add({.name = "workflow/url_to_pdf",
                .operation = "url_to_pdf",
                .title = "Convert URL to PDF",
                .credits = 5,
                .needs_input = false,
                .params = web_params(true),
                .validate =
                    [config](const http::Params& p, const std::vector<InputFile>& in) {
                      validate_web(p, in, config, true);
                    },
                .run = [config](PipelineContext& ctx) { return run_web(ctx, config, true); },
                .tools = {{.mcp_name = "po_url_convert_pdf", .title = "Convert URL to PDF"}},
                .category = kCategory,
                .summary = "Convert a web page URL to PDF in headless Chromium: cookies, headers, "
                           "injected CSS/JS, paper size, margins, wait_for. Every request of the "
                           "page passes the outbound guard."});
  registry.add({.name = "workflow/html_to_pdf",
                .operation = "html_to_pdf",
                .title = "Convert HTML to PDF",
                .credits = 5,
                .needs_input = false,
                .params = web_params(false),
                .validate =
                    [config](const http::Params& p, const std::vector<InputFile>& in) {
                      validate_web(p, in, config, false);
                    },
                .run = [config](PipelineContext& ctx) { return run_web(ctx, config, false); },
                .category = kCategory,
                .summary = "Print HTML (the html field, or an uploaded .html with its CSS and "
                           "images) to PDF in headless Chromium."});
  registry.add({.name = "workflow/ebook_to_pdf",
                .operation = "ebook_to_pdf",
                .title = "Convert eBook to PDF",
                .credits = 5,
                .params = {param("paper_size", ParamType::kString, "A4, Letter, Legal or A3", "A4"),
                           param("output_filename", ParamType::kString,
                                 "Name of the PDF when one book is converted")},
                .validate = validate_ebook,
                .run = [config](PipelineContext& ctx) { return run_ebook(ctx, config); },
                .tools = {{.mcp_name = "po_ebook_convert_pdf", .title = "Convert eBook to PDF"}},
                .category = kCategory,
                .summary = "Convert e-books to PDF with Calibre: EPUB, MOBI, AZW3, FB2."});
}

}  // namespace paperd::jobs
