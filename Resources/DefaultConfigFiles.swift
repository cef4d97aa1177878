import Foundation

/// Where the default configuration shipped with Dramatis (`Resources/defaults/`) is.
///
/// SwiftPM's generated `Bundle.module` stops the program when the bundle is missing (e.g. a binary
/// copied elsewhere without its `.resources` folder); this looks in the same places and returns
/// nil instead, so the caller can say what is wrong.
public enum DefaultConfigFiles {
  static let bundleName = "Dramatis_DramatisResources"

  public static var directory: URL? {
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["DRAMATIS_DEFAULTS_DIR"], !override.isEmpty {
      candidates.append(URL(fileURLWithPath: override))
    }
    let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    for base in [Bundle.main.bundleURL, exe.deletingLastPathComponent()] {
      candidates.append(base.appendingPathComponent("\(bundleName).resources/defaults"))
      candidates.append(base.appendingPathComponent("\(bundleName).bundle/defaults"))
      candidates.append(base.appendingPathComponent("\(bundleName).bundle/Contents/Resources/defaults"))
    }
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      candidates.append(
        bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("\(bundleName).resources/defaults"))
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("personas.toml").path) }
  }
}
