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
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        // libpng longjmps on errors: a C target does the setjmp and returns codes (Sources/CPNG/gg_png.c).
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),

        .target(name: "GonggaoCrypto", dependencies: ["CCrypto"]),
        .target(name: "GonggaoCore", dependencies: ["GonggaoCrypto"]),
        .target(name: "GonggaoStore", dependencies: ["GonggaoCore", "CSQLite"]),
        .target(name: "GonggaoPoster", dependencies: ["GonggaoCore", "CQRencode", "CPNG", "CPangoCairo"]),
        .executableTarget(name: "gonggao-bench", dependencies: ["GonggaoPoster", "GonggaoCore"], path: "bench/swift"),
        .target(name: "GonggaoChannels", dependencies: ["GonggaoCore", "GonggaoCrypto"]),
        .executableTarget(name: "gonggao", dependencies: ["GonggaoCore", "GonggaoStore", "GonggaoCrypto"]),

        .target(name: "TestSupport", dependencies: ["GonggaoCore", "GonggaoStore"], path: "Tests/TestSupport"),
        .testTarget(name: "GonggaoCoreTests", dependencies: ["GonggaoCore", "GonggaoCrypto", "TestSupport"]),
        .testTarget(name: "GonggaoStoreTests", dependencies: ["GonggaoCore", "GonggaoStore", "TestSupport"]),
        .testTarget(name: "GonggaoCLITests", dependencies: ["GonggaoCore", "GonggaoStore", "TestSupport"]),
        .testTarget(name: "GonggaoPosterTests", dependencies: ["GonggaoPoster", "GonggaoCore"],
                    exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
