// swift-tools-version:6.1
import Foundation
import PackageDescription

// The benchmarks (Benchmarks/, package-benchmark) build only when DRAMATIS_BENCHMARKS is set, so
// that `swift build` and `swift test` do not fetch and build the benchmark packages:
//   DRAMATIS_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
let withBenchmarks = ProcessInfo.processInfo.environment["DRAMATIS_BENCHMARKS"] != nil

// The release program links the Swift runtime in (as `--static-swift-stdlib` does): one file for a
// host without Swift, and it starts ~6 ms sooner in ~3.6 MB less memory than with the runtime's
// shared libraries (docs/performance.md). The static FoundationEssentials (which ArgumentParser
// imports) needs its two helper libraries named. Debug builds are unchanged. The tests link the
// program's module and full Foundation, which cannot be linked in this way: to build the tests in
// release (`swift test -c release -Xswiftc -enable-testing`), set DRAMATIS_SHARED_RUNTIME=1.
//
// Its code is laid out by LinkOrder/dramatis.order (the functions a session runs, side by side):
// the kernel maps code in blocks around each page touched, and scattered over the 10 MB of .text
// the code and read-only data resident were 9.5 MB; laid out, 5.5 MB. lld reads the order (gold
// has no symbol order), and our modules put each function in a section of its own to be moved.
// LinkOrder/make-order.py renews the file; CI checks that the layout follows it.
let releaseOnLinux = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
// The Swift toolchain brings lld; a toolchain without it on the PATH links in the default layout
// (the program works the same; CI's check of the layout would fail).
let lldOnPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
  FileManager.default.isExecutableFile(atPath: "\($0)/ld.lld")
}
let codeLayout: [LinkerSetting] =
  lldOnPath
  ? [
    .unsafeFlags(
      [
        "-use-ld=lld",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/LinkOrder/dramatis.order",
        "-Xlinker", "--no-warn-symbol-ordering",
      ], releaseOnLinux)
  ] : []
let staticRuntime: [LinkerSetting] =
  ProcessInfo.processInfo.environment["DRAMATIS_SHARED_RUNTIME"] != nil
  ? []
  : [
    .unsafeFlags(["-static-stdlib"], releaseOnLinux),
    .linkedLibrary("_FoundationCollections", releaseOnLinux),
    .linkedLibrary("_FoundationCShims", releaseOnLinux),
  ] + codeLayout
let functionSections: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-function-sections"], releaseOnLinux)]

let package = Package(
  name: "Dramatis",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "dramatis", targets: ["dramatis"]),
    .library(name: "PersonaKit", targets: ["PersonaKit"]),
    .executable(name: "make-scale-config", targets: ["make-scale-config"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
  ],
  targets: [
    // ncursesw, for the terminal backend (issue: widget layer). Only TermUICurses may import it.
    .systemLibrary(
      name: "CNcurses",
      pkgConfig: "ncursesw",
      providers: [.apt(["libncurses-dev"])]
    ),
    // libyaml, the YAML parser and emitter of the agent tools' files (PersonaKit/Interop). Only
    // PersonaKit imports it.
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    // The shipped default configuration, built into the binary and written into a new config dir
    // on first use.
    .target(
      name: "DramatisResources",
      path: "Resources",
      exclude: [],
      sources: ["DefaultConfigFiles.swift"],
      resources: [.embedInCode("defaults")],
      swiftSettings: functionSections
    ),
    // The domain: models, TOML stores, PersonaManager, validation, resolution. No UI.
    .target(name: "PersonaKit", dependencies: ["CYAML"], swiftSettings: functionSections),
    // The widget layer: pure Swift, no curses; draws into a Buffer.
    .target(name: "TermUI", swiftSettings: functionSections),
    // The ncurses backend: the only target that imports CNcurses.
    .target(name: "TermUICurses", dependencies: ["TermUI", "CNcurses"], swiftSettings: functionSections),
    // The application: the screens, on the domain and the widget layer (no curses).
    .target(name: "DramatisApp", dependencies: ["PersonaKit", "TermUI"], swiftSettings: functionSections),
    .executableTarget(
      name: "dramatis",
      dependencies: [
        "PersonaKit",
        "DramatisResources",
        "TermUI",
        "TermUICurses",
        "DramatisApp",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: functionSections,
      linkerSettings: staticRuntime
    ),
    // A configuration at scale (thousands of personas and tickets) for the benchmarks and the pty
    // measurements; `make-scale-config DIR` writes one.
    .target(name: "ScaleFixture", dependencies: ["PersonaKit", "DramatisResources"], path: "Benchmarks/ScaleFixture"),
    .executableTarget(
      name: "make-scale-config", dependencies: ["ScaleFixture"], path: "Benchmarks/Tools/make-scale-config"),
    // What more than one test target uses (a seeded random number generator).
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(
      name: "PersonaKitTests",
      dependencies: ["PersonaKit", "DramatisResources", "ScaleFixture", "TestSupport"],
      // The toml-test suite's files, read from their folder by TOMLTestSuiteTests.
      exclude: ["toml-test", "interop-golden"]
    ),
    .testTarget(
      name: "TermUITests",
      dependencies: ["TermUI", "TestSupport", .product(name: "SnapshotTesting", package: "swift-snapshot-testing")],
      exclude: ["__Snapshots__"]
    ),
    .testTarget(
      name: "DramatisAppTests",
      dependencies: [
        "DramatisApp", "DramatisResources", "PersonaKit", "TermUI", "TestSupport",
        .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
      ],
      exclude: ["__Snapshots__"]
    ),
    .testTarget(
      name: "LiveTests",
      dependencies: ["dramatis", "DramatisResources", "PersonaKit", "ScaleFixture"]
    ),
    .testTarget(
      name: "CLITests",
      dependencies: ["PersonaKit", "dramatis"]
    ),
  ],
  swiftLanguageModes: [.v6]
)

if withBenchmarks {
  package.dependencies.append(
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
  package.targets.append(
    .executableTarget(
      name: "DramatisBenchmarks",
      dependencies: [
        "PersonaKit", "TermUI", "DramatisApp", "ScaleFixture",
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/DramatisBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ))
}
