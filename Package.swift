// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Dramatis",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "dramatis", targets: ["dramatis"]),
    .library(name: "PersonaKit", targets: ["PersonaKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
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
    // The shipped default configuration, copied into a new config dir on first use.
    .target(
      name: "DramatisResources",
      path: "Resources",
      exclude: [],
      sources: ["DefaultConfigFiles.swift"],
      resources: [.copy("defaults")]
    ),
    // The domain: models, TOML stores, PersonaManager, validation, resolution. No UI.
    .target(
      name: "PersonaKit",
      dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
    ),
    // The widget layer: pure Swift, no curses; draws into a Buffer.
    .target(name: "TermUI"),
    // The ncurses backend: the only target that imports CNcurses.
    .target(name: "TermUICurses", dependencies: ["TermUI", "CNcurses"]),
    // The application: the screens, on the domain and the widget layer (no curses).
    .target(name: "DramatisApp", dependencies: ["PersonaKit", "TermUI"]),
    .executableTarget(
      name: "dramatis",
      dependencies: [
        "PersonaKit",
        "DramatisResources",
        "TermUI",
        "TermUICurses",
        "DramatisApp",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "PersonaKitTests",
      dependencies: ["PersonaKit", "DramatisResources"]
    ),
    .testTarget(
      name: "TermUITests",
      dependencies: ["TermUI", .product(name: "SnapshotTesting", package: "swift-snapshot-testing")],
      exclude: ["__Snapshots__"]
    ),
    .testTarget(
      name: "DramatisAppTests",
      dependencies: [
        "DramatisApp", "PersonaKit", "TermUI", .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
      ],
      exclude: ["__Snapshots__"]
    ),
    .testTarget(
      name: "LiveTests",
      dependencies: ["dramatis", "PersonaKit"]
    ),
    .testTarget(
      name: "CLITests",
      dependencies: ["PersonaKit", "dramatis"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
