import Testing

/// The parent of every suite in this target. Its tests start ippeveprinter (and dbus and avahi for it):
/// `.serialized` on two sibling suites orders each suite's own tests but lets the suites run side by
/// side, so they are nested here under one serialized parent and no two ever overlap.
@Suite("Printers", .serialized)
enum PrinterSuites {}
