// What every converter child is wrapped in: no network (its own empty network namespace, when
// the machine lets us create one), and, for Chromium-based tools, room for V8's address-space
// reservations under the worker's memory limit. Both are argv prefixes (unshare, prlimit), so
// they work with core::run_process and ChildProcess alike.
#pragma once

#include <string>
#include <vector>

namespace paperd::engines::convert {

struct SandboxOptions {
  // Run in a new network namespace (`unshare --net`): the tool sees no interface but a down
  // loopback. Skipped silently where namespaces cannot be created (no CAP_SYS_ADMIN).
  bool no_network = true;
  // Chromium (and Calibre's QtWebEngine) reserve far more virtual address space than they use
  // (the V8 sandbox alone reserves 1 TB), so under the worker's RLIMIT_AS they cannot start.
  // This lifts RLIMIT_AS and bounds RLIMIT_DATA (real allocations) by the old address limit
  // instead. Throws Error::unavailable when the hard limit forbids it.
  bool chromium_address_space = false;
};

// The argv prefix ("prlimit ... --", "unshare --net --") for a tool; empty when nothing applies.
std::vector<std::string> sandbox_prefix(const SandboxOptions& options);

// Whether `unshare --net` works on this machine (probed once per process).
bool network_namespaces_available();

}  // namespace paperd::engines::convert
