#include "services/dms/meta_fields.h"

#include <algorithm>
#include <map>
#include <regex>

#include "core/error.h"

namespace paperd::services::dms {

namespace {

const std::map<std::string, MetaField>& aliases() {
  static const std::map<std::string, MetaField> kAliases = {
      {"type", {"_document_type", "string"}},
      {"doctype", {"_document_type", "string"}},
      {"document_type", {"_document_type", "string"}},
      {"date", {"_document_date", "date"}},
      {"document_date", {"_document_date", "date"}},
      {"sender", {"_sender", "string"}},
      {"from", {"_sender", "string"}},
      {"recipient", {"_recipient", "string"}},
      {"to", {"_recipient", "string"}},
      {"subject", {"_subject", "string"}},
      {"title", {"_subject", "string"}},
      {"number", {"_document_number", "string"}},
      {"document_number", {"_document_number", "string"}},
      {"invoice_number", {"_invoice_number", "string"}},
      {"customer_number", {"_customer_number", "string"}},
      {"reference", {"_reference", "string"}},
      {"ref", {"_reference", "string"}},
      {"amount", {"_amount_total", "amount"}},
      {"total", {"_amount_total", "amount"}},
      {"net", {"_amount_net", "amount"}},
      {"vat", {"_amount_vat", "amount"}},
      {"tax", {"_amount_vat", "amount"}},
      {"currency", {"_currency", "currency"}},
      {"due", {"_due_date", "date"}},
      {"due_date", {"_due_date", "date"}},
      {"iban", {"_iban", "iban"}},
      {"language", {"_language", "language"}},
      {"lang", {"_language", "language"}},
      {"remark", {"_remark", "string"}},
      {"category", {"_category", "string"}},
      {"pages", {"_page_count", "integer"}},
  };
  return kAliases;
}

core::Error bad(const std::string& key, const std::string& why) {
  return core::Error::invalid_request("meta field '" + key + "': " + why);
}

bool valid_date(int y, int m, int d) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m != 2 || d <= 28 || leap;
}

std::string normalize_date(const std::string& key, const std::string& s) {
  std::smatch m;
  int y = 0, mo = 0, d = 0;
  if (std::regex_match(s, m, std::regex(R"((\d{4})-(\d{2})-(\d{2})(?:[T ].*)?)"))) {
    y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
  } else if (std::regex_match(s, m, std::regex(R"((\d{1,2})\.(\d{1,2})\.(\d{4}))"))) {
    d = std::stoi(m[1]), mo = std::stoi(m[2]), y = std::stoi(m[3]);
  } else {
    throw bad(key, "'" + s + "' is not a date (YYYY-MM-DD or DD.MM.YYYY)");
  }
  if (!valid_date(y, mo, d)) throw bad(key, "'" + s + "' is not a calendar date");
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
  return buf;
}

double normalize_amount(const std::string& key, const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) throw bad(key, "an amount must be a number");
  std::string s = v.get<std::string>();
  std::erase_if(s, [](char c) { return c == ' ' || c == '\''; });
  // 1.234,56 and 1,234.56: the last separator is the decimal one.
  size_t comma = s.rfind(','), dot = s.rfind('.');
  if (comma != std::string::npos && (dot == std::string::npos || comma > dot)) {
    std::erase(s, '.');
    std::replace(s.begin(), s.end(), ',', '.');
  } else {
    std::erase(s, ',');
  }
  if (!std::regex_match(s, std::regex(R"(-?\d+(\.\d+)?)")))
    throw bad(key, "'" + v.get<std::string>() + "' is not an amount");
  return std::stod(s);
}

bool iban_ok(std::string iban) {
  std::erase(iban, ' ');
  std::transform(iban.begin(), iban.end(), iban.begin(), ::toupper);
  if (!std::regex_match(iban, std::regex("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}"))) return false;
  std::string r = iban.substr(4) + iban.substr(0, 4);
  int mod = 0;
  for (char c : r) {
    int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'A' + 10;
    mod = (v >= 10 ? (mod * 100 + v) : (mod * 10 + v)) % 97;
  }
  return mod == 1;
}

}  // namespace

std::optional<MetaField> meta_field_for(const std::string& key) {
  auto& a = aliases();
  if (auto it = a.find(key); it != a.end()) return it->second;
  for (auto& [alias, f] : a)
    if (f.field == key) return f;
  static const std::regex kCustom("(_|custom_)[a-z0-9_]{1,60}");
  if (std::regex_match(key, kCustom))
    return MetaField{key.starts_with("custom_") ? "_" + key.substr(7) : key, "string"};
  return std::nullopt;
}

Json meta_field_catalog() {
  Json out = Json::object();
  for (auto& [alias, f] : aliases()) out[alias] = {{"field", f.field}, {"type", f.type}};
  return out;
}

Json normalize_meta_value(const std::string& key, const MetaField& f, const Json& v) {
  if (f.type == "amount") return normalize_amount(key, v);
  if (f.type == "integer") {
    if (v.is_number_integer()) return v;
    if (v.is_string() && std::regex_match(v.get<std::string>(), std::regex("-?\\d{1,15}")))
      return std::stoll(v.get<std::string>());
    throw bad(key, "must be an integer");
  }
  if (!v.is_string() && !v.is_number()) throw bad(key, "must be text");
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.size() > 2000) throw bad(key, "is longer than 2,000 characters");
  if (f.type == "date") return normalize_date(key, s);
  if (f.type == "currency") {
    std::transform(s.begin(), s.end(), s.begin(), ::toupper);
    if (!std::regex_match(s, std::regex("[A-Z]{3}")))
      throw bad(key, "'" + s + "' is not an ISO 4217 currency code (e.g. EUR)");
    return s;
  }
  if (f.type == "language") {
    std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    if (!std::regex_match(s, std::regex("[a-z]{2,3}(-[a-z]{2})?")))
      throw bad(key, "'" + s + "' is not a language code (e.g. de, en)");
    return s;
  }
  if (f.type == "iban") {
    if (!iban_ok(s)) throw bad(key, "'" + s + "' is not a valid IBAN (its check digits fail)");
    std::erase(s, ' ');
    std::transform(s.begin(), s.end(), s.begin(), ::toupper);
    return s;
  }
  return s;
}

}  // namespace paperd::services::dms
