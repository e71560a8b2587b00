// paperd_bench: the in-process half of `bench/run` and `bench/mcp.sh`.
//
//   paperd_bench echo --port P --token T --work-dir DIR [--requests N] [--size BYTES] [--warmup N]
//
// Measures the added latency of the instant lane on the trivial echo pipeline:
//   * direct:  what the pipeline's engine does, done in this process — read the input file and
//              write the same bytes to a new file (one sample per copy);
//   * blob:    the same bytes put into an encrypted, durable BlobStore in this process, i.e. what
//              the worker's add_output() does with an output (informative: part of the overhead);
//   * api:     N sequential POST /job/add/spinetest___echo (multipart `file`, priority=999) over
//              one keep-alive httplib::Client connection, from request written to response parsed.
// Prints `key value` lines (milliseconds) that bench/run turns into the table.
//
//   paperd_bench mcp --port P --token T --rest-path /billing/pricing/tiers
//                    --tool po_billing_pricing_tiers_list [--lane /mcp] [--requests N] [--warmup N]
//
// The cost of MCP over REST for the same route handler (bench/mcp.sh): one MCP session
// (initialize), then N rounds, each one GET <rest-path> and one tools/call <tool> with no
// arguments, both on the same keep-alive connection, alternating which goes first so drift in
// the machine's load hits both alike. Prints rest_* and mcp_* (n, p50, p99, max, mean in ms).
//
//   paperd_bench fetch --port P --token T --urls FILE --out-dir DIR
//
// Downloads every URL path listed in FILE (one per line) one by one over one keep-alive
// connection, as a compiled client does, writing each body to DIR/<n>.pdf. Prints seconds (the
// whole loop, file writes included), files and bytes (bench/pdf_tools.sh's split row).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "store/blob_store.h"
#include "store/master_key.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Nearest-rank percentile of an unsorted sample (q in (0, 1]).
double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

void report(const std::string& name, const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  std::printf("%s_n %zu\n", name.c_str(), v.size());
  std::printf("%s_p50_ms %.4f\n", name.c_str(), percentile(v, 0.50));
  std::printf("%s_p99_ms %.4f\n", name.c_str(), percentile(v, 0.99));
  std::printf("%s_max_ms %.4f\n", name.c_str(), percentile(v, 1.0));
  std::printf("%s_mean_ms %.4f\n", name.c_str(), v.empty() ? 0.0 : sum / v.size());
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The engine of spinetest___echo, done directly: read the input, write the same bytes out.
void echo_copy(const fs::path& from, const fs::path& to) {
  std::string bytes = read_all(from);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + to.string());
}

// "5.77ms" -> 5.77; -1 when absent or unparsable.
double parse_ms(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return -1;
  try {
    return std::stod(v.get<std::string>());
  } catch (...) {
    return -1;
  }
}

int usage() {
  std::cerr
      << "usage: paperd_bench echo --port P --token T --work-dir DIR [--requests N] "
         "[--size BYTES] [--warmup N] [--host H]\n"
         "       paperd_bench mcp --port P --token T --rest-path PATH --tool NAME "
         "[--lane /mcp] [--requests N] [--warmup N] [--host H]\n"
         "       paperd_bench fetch --port P --token T --urls FILE --out-dir DIR [--host H]\n";
  return 2;
}

int run_fetch(const std::map<std::string, std::string>& opt) {
  auto get = [&](const std::string& k) {
    auto it = opt.find(k);
    if (it == opt.end()) throw std::runtime_error("--" + k + " is required");
    return it->second;
  };
  std::vector<std::string> paths;
  std::istringstream lines(read_all(get("urls")));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) paths.push_back(line);
  const fs::path out = get("out-dir");
  httplib::Client client(opt.count("host") ? opt.at("host") : "127.0.0.1", std::stoi(get("port")));
  client.set_keep_alive(true);
  httplib::Headers auth = {{"Authorization", "Bearer " + get("token")}};
  size_t bytes = 0;
  auto t0 = Clock::now();
  for (size_t i = 0; i < paths.size(); ++i) {
    auto r = client.Get(paths[i], auth);
    if (!r || r->status != 200)
      throw std::runtime_error(paths[i] + " answered " +
                               (r ? std::to_string(r->status) : "nothing"));
    std::ofstream(out / (std::to_string(i + 1) + ".pdf"), std::ios::binary) << r->body;
    bytes += r->body.size();
  }
  std::printf("seconds %.4f\nfiles %zu\nbytes %zu\n", ms_since(t0) / 1000.0, paths.size(), bytes);
  return 0;
}

int run_echo(const std::map<std::string, std::string>& opt) {
  auto get = [&](const std::string& k, const std::string& def) {
    auto it = opt.find(k);
    return it == opt.end() ? def : it->second;
  };
  if (!opt.count("port") || !opt.count("token") || !opt.count("work-dir")) return usage();
  const std::string host = get("host", "127.0.0.1");
  const int port = std::stoi(get("port", "0"));
  const std::string token = get("token", "");
  const int requests = std::stoi(get("requests", "200"));
  const int warmup = std::stoi(get("warmup", "10"));
  const size_t size = std::stoul(get("size", "4096"));
  const fs::path work = get("work-dir", "");

  fs::create_directories(work / "out");
  const fs::path input = work / "input.txt";
  {
    std::string content;
    content.reserve(size);
    const std::string line = "paperd bench: the quick brown fox jumps over the lazy dog.\n";
    while (content.size() < size) content += line;
    content.resize(size);
    std::ofstream(input, std::ios::binary) << content;
  }
  const std::string content = read_all(input);

  // 1. Direct copy, in process.
  std::vector<double> direct;
  for (int i = -warmup; i < requests; ++i) {
    fs::path out = work / "out" / ("copy-" + std::to_string(i + warmup));
    auto t0 = Clock::now();
    echo_copy(input, out);
    double ms = ms_since(t0);
    if (i >= 0) direct.push_back(ms);
    fs::remove(out);
  }

  // 2. Durable encrypted blob put, in process (what add_output does with each output).
  std::vector<double> blob;
  {
    paperd::store::BlobStore blobs(work / "blobs",
                                   paperd::store::MasterKey::from_bytes(std::string(32, 'k')));
    for (int i = -warmup; i < requests; ++i) {
      auto t0 = Clock::now();
      std::string id = blobs.put_file(input);
      double ms = ms_since(t0);
      if (i >= 0) blob.push_back(ms);
      blobs.remove(id);
    }
  }

  // 3. Through paperd's instant lane, one keep-alive connection.
  httplib::Client cli(host, port);
  cli.set_keep_alive(true);
  cli.set_tcp_nodelay(true);  // as curl does: no Nagle stall between headers and body
  cli.set_connection_timeout(5);
  cli.set_read_timeout(60);
  httplib::Headers headers = {{"Authorization", "Bearer " + token}};
  httplib::MultipartFormDataItems items = {
      {"file", content, "input.txt", "text/plain"},
      {"priority", "999", "", ""},
  };
  std::vector<double> api, server_total, engine;
  int failures = 0;
  std::string first_failure;
  for (int i = -warmup; i < requests; ++i) {
    auto t0 = Clock::now();
    auto res = cli.Post("/job/add/spinetest___echo", headers, items);
    double ms = ms_since(t0);
    bool ok = res && res->status == 200;
    nlohmann::json body;
    if (ok) {
      body = nlohmann::json::parse(res->body, nullptr, false);
      ok = !body.is_discarded() && body.value("job_status", "") == "completed";
    }
    if (!ok) {
      ++failures;
      if (first_failure.empty())
        first_failure = res ? std::to_string(res->status) + " " + res->body.substr(0, 300)
                            : "transport error: " + httplib::to_string(res.error());
      continue;
    }
    if (i < 0) continue;
    api.push_back(ms);
    if (double s = parse_ms(body.value("processing_time", nlohmann::json())); s >= 0)
      server_total.push_back(s);
    if (body.contains("result") && body["result"].is_object())
      if (double e = parse_ms(body["result"].value("duration_ms", nlohmann::json())); e >= 0)
        engine.push_back(e);
  }

  std::printf("file_bytes %zu\n", content.size());
  std::printf("requests %d\n", requests);
  std::printf("failures %d\n", failures);
  if (!first_failure.empty()) {
    std::replace(first_failure.begin(), first_failure.end(), '\n', ' ');
    std::printf("first_failure %s\n", first_failure.c_str());
  }
  report("direct", direct);
  report("blob", blob);
  report("api", api);
  report("server", server_total);  // paperd's own processing_time field
  report("engine", engine);        // the worker's result.duration_ms
  std::fflush(stdout);
  return api.empty() ? 1 : 0;
}

int run_mcp(const std::map<std::string, std::string>& opt) {
  auto get = [&](const std::string& k, const std::string& def) {
    auto it = opt.find(k);
    return it == opt.end() ? def : it->second;
  };
  if (!opt.count("port") || !opt.count("token") || !opt.count("rest-path") || !opt.count("tool"))
    return usage();
  const std::string lane = get("lane", "/mcp");
  const std::string rest_path = get("rest-path", "");
  const std::string tool = get("tool", "");
  const int requests = std::stoi(get("requests", "300"));
  const int warmup = std::stoi(get("warmup", "20"));

  httplib::Client cli(get("host", "127.0.0.1"), std::stoi(get("port", "0")));
  cli.set_keep_alive(true);
  cli.set_tcp_nodelay(true);
  cli.set_connection_timeout(5);
  cli.set_read_timeout(60);
  httplib::Headers auth = {{"Authorization", "Bearer " + get("token", "")}};

  nlohmann::json init = {{"jsonrpc", "2.0"},
                         {"id", 1},
                         {"method", "initialize"},
                         {"params",
                          {{"protocolVersion", "2025-06-18"},
                           {"capabilities", nlohmann::json::object()},
                           {"clientInfo", {{"name", "paperd_bench"}, {"version", "1"}}}}}};
  auto res = cli.Post(lane, auth, init.dump(), "application/json");
  if (!res || res->status != 200 || !res->has_header("Mcp-Session-Id")) {
    std::cerr << "paperd_bench: initialize on " << lane << " failed: "
              << (res ? std::to_string(res->status) + " " + res->body.substr(0, 300)
                      : httplib::to_string(res.error()))
              << "\n";
    return 1;
  }
  httplib::Headers session = auth;
  session.emplace("Mcp-Session-Id", res->get_header_value("Mcp-Session-Id"));
  session.emplace("MCP-Protocol-Version", "2025-06-18");
  cli.Post(lane, session, R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
           "application/json");

  std::string first_failure;
  int failures = 0;
  auto fail = [&](const std::string& what) {
    ++failures;
    if (first_failure.empty()) first_failure = what.substr(0, 300);
  };
  // One call each way; returns its milliseconds or -1 on failure.
  auto rest_call = [&]() -> double {
    auto t0 = Clock::now();
    auto r = cli.Get(rest_path, auth);
    double ms = ms_since(t0);
    if (!r || r->status != 200) {
      fail("REST " + (r ? std::to_string(r->status) + " " + r->body : "transport error"));
      return -1;
    }
    return ms;
  };
  int id = 1;
  auto mcp_call = [&]() -> double {
    nlohmann::json call = {{"jsonrpc", "2.0"},
                           {"id", ++id},
                           {"method", "tools/call"},
                           {"params", {{"name", tool}, {"arguments", nlohmann::json::object()}}}};
    std::string body = call.dump();
    auto t0 = Clock::now();
    auto r = cli.Post(lane, session, body, "application/json");
    double ms = ms_since(t0);
    nlohmann::json j = r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json(nullptr);
    if (!r || r->status != 200 || !j.is_object() || !j.contains("result") ||
        j["result"].value("isError", true)) {
      fail("MCP " + (r ? std::to_string(r->status) + " " + r->body : "transport error"));
      return -1;
    }
    return ms;
  };
  std::vector<double> rest, mcp;
  for (int i = -warmup; i < requests; ++i) {
    double a, b;
    if (i % 2 == 0) {
      a = rest_call();
      b = mcp_call();
    } else {
      b = mcp_call();
      a = rest_call();
    }
    if (i < 0) continue;
    if (a >= 0) rest.push_back(a);
    if (b >= 0) mcp.push_back(b);
  }
  cli.Delete(lane, session);
  std::printf("requests %d\n", requests);
  std::printf("failures %d\n", failures);
  if (!first_failure.empty()) {
    std::replace(first_failure.begin(), first_failure.end(), '\n', ' ');
    std::printf("first_failure %s\n", first_failure.c_str());
  }
  report("rest", rest);
  report("mcp", mcp);
  std::fflush(stdout);
  return rest.empty() || mcp.empty() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc < 2 ? "" : argv[1];
  if (command != "echo" && command != "mcp" && command != "fetch") return usage();
  std::map<std::string, std::string> opt;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || i + 1 >= argc) return usage();
    opt[a.substr(2)] = argv[++i];
  }
  try {
    if (command == "fetch") return run_fetch(opt);
    return command == "mcp" ? run_mcp(opt) : run_echo(opt);
  } catch (const std::exception& e) {
    std::cerr << "paperd_bench: " << e.what() << "\n";
    return 1;
  }
}
