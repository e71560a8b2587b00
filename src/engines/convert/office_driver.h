// The small Python program (python3-uno) that keeps one LibreOffice warm: it starts soffice with
// a --accept pipe, connects over UNO, then converts one document per request line read from
// stdin and answers one JSON line on stdout. When its stdin closes (the worker exited or
// crashed) it kills its process group, soffice included, so no office outlives its worker.
//
// Protocol (one JSON object per line):
//   argv: driver.py <uno-connect-string> <soffice argv...>
//   first line out: {"ready": true} | {"ready": false, "error": "..."}
//   in:  {"in": "/abs/input", "out": "/abs/output.pdf"}
//   out: {"ok": true, "filter": "<import filter LibreOffice chose>", "ms": 123.4}
//      | {"ok": false, "stage": "load"|"export"|"idle", "crashed": bool, "error": "..."}
//   ("idle": soffice had died before this request; the driver then exits)
#pragma once

#include <string_view>

namespace paperd::engines::convert {

std::string_view office_driver_script();

}  // namespace paperd::engines::convert
