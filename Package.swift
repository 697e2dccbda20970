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

        .target(name: "GonggaoCrypto", dependencies: ["CCrypto"]),
        .target(name: "GonggaoCore", dependencies: ["GonggaoCrypto"]),
        .target(name: "GonggaoStore", dependencies: ["GonggaoCore", "CSQLite"]),
        .executableTarget(name: "gonggao", dependencies: ["GonggaoCore", "GonggaoStore", "GonggaoCrypto"]),

        .target(name: "TestSupport", dependencies: ["GonggaoCore", "GonggaoStore"], path: "Tests/TestSupport"),
        .testTarget(name: "GonggaoCoreTests", dependencies: ["GonggaoCore", "GonggaoCrypto", "TestSupport"]),
        .testTarget(name: "GonggaoStoreTests", dependencies: ["GonggaoCore", "GonggaoStore", "TestSupport"]),
        .testTarget(name: "GonggaoCLITests", dependencies: ["GonggaoCore", "GonggaoStore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
