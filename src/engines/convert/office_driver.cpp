#include "engines/convert/office_driver.h"

namespace paperd::engines::convert {

std::string_view office_driver_script() {
  return R"PY(# paperd's LibreOffice driver: see src/engines/convert/office_driver.h
import json, os, signal, subprocess, sys, time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def export_filter(doc):
    for service, name in (("com.sun.star.sheet.SpreadsheetDocument", "calc_pdf_Export"),
                          ("com.sun.star.presentation.PresentationDocument", "impress_pdf_Export"),
                          ("com.sun.star.drawing.DrawingDocument", "draw_pdf_Export"),
                          ("com.sun.star.text.WebDocument", "writer_web_pdf_Export")):
        if doc.supportsService(service):
            return name
    return "writer_pdf_Export"


def message(e):
    text = getattr(e, "Message", "") or str(e)
    return (type(e).__name__ + ": " + text.strip()).strip(": ")[:500]


def main():
    office = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    deadline = time.time() + 120
    while ctx is None:
        # soffice restarts itself once on a fresh profile; only its final exit is fatal
        if office.poll() is not None:
            reply({"ready": False, "error": "soffice exited with status %d" % office.returncode})
            return
        if time.time() > deadline:
            reply({"ready": False, "error": "soffice did not accept a connection in 120 s"})
            return
        try:
            ctx = resolver.resolve(sys.argv[1])
        except NoConnectException:
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    reply({"ready": True})
    load_props = (prop("Hidden", True), prop("ReadOnly", True),
                  prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
                  prop("UpdateDocMode", 0))  # NO_UPDATE: linked content is not refreshed
    for line in sys.stdin:
        req = json.loads(line)
        if office.poll() is not None:  # died while idle: not this document's doing
            reply({"ok": False, "stage": "idle", "crashed": True, "error": "soffice had exited"})
            break
        started = time.time()
        doc = None
        stage = "load"
        try:
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(req["in"]), "_blank", 0, load_props)
            if doc is None:
                raise ValueError("LibreOffice does not recognise the file")
            loaded_with = ""
            for arg in doc.getArgs():
                if arg.Name == "FilterName":
                    loaded_with = arg.Value
            stage = "export"
            doc.storeToURL(uno.systemPathToFileUrl(req["out"]),
                           (prop("FilterName", export_filter(doc)),))
            reply({"ok": True, "filter": loaded_with, "ms": (time.time() - started) * 1000})
        except Exception as e:
            crashed = office.poll() is not None
            reply({"ok": False, "stage": stage, "crashed": crashed, "error": message(e)})
            if crashed:
                break
        finally:
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:
                    pass
    os.killpg(0, signal.SIGKILL)


try:
    main()
finally:
    os.killpg(0, signal.SIGKILL)
)PY";
}

}  // namespace paperd::engines::convert
