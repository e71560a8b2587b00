#include "engines/convert/office_profile.h"

#include <cctype>

#include "core/fs.h"

namespace paperd::engines::convert {

namespace {

struct Item {
  const char* path;
  const char* name;
  const char* type;
  const char* value;
};

// Recalc modes: 0 = always recalculate, 1 = never, 2 = ask. Proxy type 2 = manual; port 9
// (discard) on loopback refuses, so WEBSERVICE() and linked images cannot fetch anything even
// where no network namespace is available.
constexpr Item kItems[] = {
    {"/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "int", "0"},
    {"/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "int", "0"},
    {"/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", "3"},
    {"/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "boolean",
     "true"},
    {"/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "boolean",
     "true"},
    {"/org.openoffice.Inet/Settings", "ooInetProxyType", "int", "2"},
    {"/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "string", "127.0.0.1"},
    {"/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "int", "9"},
    {"/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "string", "127.0.0.1"},
    {"/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "int", "9"},
    {"/org.openoffice.Inet/Settings", "ooInetFTPProxyName", "string", "127.0.0.1"},
    {"/org.openoffice.Inet/Settings", "ooInetFTPProxyPort", "int", "9"},
    {"/org.openoffice.Inet/Settings", "ooInetNoProxy", "string", ""},
    {"/org.openoffice.Office.Common/Misc", "FirstRun", "boolean", "false"},
    {"/org.openoffice.Office.Common/Misc", "UseLocking", "boolean", "false"},
};

}  // namespace

void write_office_profile(const std::filesystem::path& dir) {
  std::string xcu =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<oor:items xmlns:oor=\"http://openoffice.org/2001/registry\" "
      "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n";
  for (const Item& i : kItems) {
    xcu += std::string("<item oor:path=\"") + i.path + "\"><prop oor:name=\"" + i.name +
           "\" oor:op=\"fuse\" oor:type=\"xs:" + i.type + "\"><value>" + i.value +
           "</value></prop></item>\n";
  }
  xcu += "</oor:items>\n";
  std::filesystem::create_directories(dir / "user");
  core::atomic_write_file(dir / "user" / "registrymodifications.xcu", xcu, 0600);
}

std::string file_url(const std::filesystem::path& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

std::string office_profile_arg(const std::filesystem::path& dir) {
  return "-env:UserInstallation=" + file_url(dir);
}

}  // namespace paperd::engines::convert
