// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Gonggao",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gonggao", targets: ["gonggao"]),
    ],
    targets: [
        // C libraries: one thin system target each, imported by exactly one Swift wrapper.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // glibc's <malloc.h> (malloc_trim): no library to link.
        .systemLibrary(name: "CMalloc"),
        // Debian ships no cups.pc: link libcups by name.
        .systemLibrary(name: "CCups", providers: [.apt(["libcups2-dev"])]),
        // libcurl's setopt/getinfo are variadic: typed static-inline shims live in Sources/CCurl/shim.h.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        // libpng longjmps on errors: a C target does the setjmp and returns codes (Sources/CPNG/gg_png.c).
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),
        // libmicrohttpd: MHD_start_daemon & co. are variadic; typed static-inline shims in Sources/CMicroHTTPD/shim.h.
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),

        .target(name: "GonggaoCrypto", dependencies: ["CCrypto"]),
        .target(name: "GonggaoCore", dependencies: ["GonggaoCrypto"]),
        .target(name: "GonggaoStore", dependencies: ["GonggaoCore", "CSQLite", "CPQ"]),
        .target(name: "GonggaoPoster", dependencies: ["GonggaoCore", "CQRencode", "CPNG", "CPangoCairo"]),
        .executableTarget(name: "gonggao-bench", dependencies: ["GonggaoPoster", "GonggaoCore"], path: "bench/swift"),
        .target(name: "GonggaoChannels", dependencies: ["GonggaoCore", "GonggaoCrypto", "CCups", "CCurl", "GonggaoPoster", "CMalloc"]),
        .target(name: "GonggaoDelivery", dependencies: ["GonggaoCore", "GonggaoStore", "GonggaoChannels"]),
        .target(name: "GonggaoHTTP", dependencies: ["GonggaoCore", "CMicroHTTPD"]),
        .target(name: "GonggaoSandbox", dependencies: ["GonggaoHTTP", "GonggaoCore"], exclude: ["CONTRACT.md"]),
        .target(name: "GonggaoService", dependencies: ["GonggaoCore", "GonggaoCrypto", "GonggaoStore", "GonggaoDelivery", "GonggaoHTTP"]),
        .executableTarget(name: "gonggao", dependencies: [
            "GonggaoCore", "GonggaoStore", "GonggaoCrypto", "GonggaoService", "GonggaoChannels", "GonggaoDelivery",
            "GonggaoPoster", "GonggaoSandbox", "GonggaoHTTP",
        ]),

        .target(name: "TestSupport", dependencies: ["GonggaoCore", "GonggaoStore"], path: "Tests/TestSupport"),
        .testTarget(name: "GonggaoCoreTests", dependencies: ["GonggaoCore", "GonggaoCrypto", "TestSupport"]),
        .testTarget(name: "GonggaoStoreTests", dependencies: ["GonggaoCore", "GonggaoCrypto", "GonggaoStore", "TestSupport"]),
        .testTarget(name: "GonggaoDeliveryTests", dependencies: ["GonggaoDelivery", "GonggaoChannels", "GonggaoCore", "GonggaoStore", "TestSupport",
                                                             "GonggaoSandbox", "HTTPTestSupport", "GonggaoHTTP", "gonggao"]),
        .testTarget(name: "GonggaoChannelsTests", dependencies: ["GonggaoChannels", "GonggaoSandbox", "GonggaoCore", "GonggaoCrypto"]),
        .testTarget(name: "GonggaoPrintTests", dependencies: ["GonggaoChannels", "GonggaoPoster", "GonggaoCore", "GonggaoCrypto", "TestSupport"]),
        .testTarget(name: "GonggaoCLITests", dependencies: ["gonggao", "GonggaoCore", "GonggaoStore", "TestSupport", "HTTPTestSupport"]),
        .target(name: "HTTPTestSupport", dependencies: ["GonggaoCore"], path: "Tests/HTTPTestSupport"),
        .testTarget(name: "GonggaoSandboxTests", dependencies: ["GonggaoSandbox", "GonggaoHTTP", "GonggaoCore", "HTTPTestSupport"]),
        .testTarget(name: "GonggaoHTTPTests", dependencies: ["GonggaoHTTP", "GonggaoCore", "HTTPTestSupport"]),
        .testTarget(name: "GonggaoServiceTests", dependencies: ["GonggaoService", "gonggao", "GonggaoHTTP", "GonggaoDelivery", "GonggaoCore", "GonggaoStore", "TestSupport", "HTTPTestSupport"]),
        .testTarget(name: "GonggaoPosterTests", dependencies: ["GonggaoPoster", "GonggaoCore"],
                    exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
