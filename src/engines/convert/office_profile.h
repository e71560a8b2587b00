// The LibreOffice user profile each warm instance gets (-env:UserInstallation): its own, because
// two instances sharing one block each other, and pre-seeded with the settings a server needs:
// formulas recalculated on load (files written by libraries often cache 0 as every result),
// macros never run, and no network through LibreOffice's own proxy settings.
#pragma once

#include <filesystem>
#include <string>

namespace paperd::engines::convert {

// Creates dir/user/registrymodifications.xcu (dir is created if missing).
void write_office_profile(const std::filesystem::path& dir);

// A file:// URL for a local path, percent-encoded.
std::string file_url(const std::filesystem::path& path);

// The -env:UserInstallation argument for a profile directory.
std::string office_profile_arg(const std::filesystem::path& dir);

}  // namespace paperd::engines::convert
