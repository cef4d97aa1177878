import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// The two folders the configuration lives in.
public struct ConfigPaths: Sendable, Equatable {
  /// The command-line options that choose the paths (every command takes them, with a value).
  public static let optionNames = ["--config-dir", "--project"]

  /// The global config dir.
  public var global: URL
  /// The project dir (`.dramatis/`), when one is in use.
  public var project: URL?

  public init(global: URL, project: URL? = nil) {
    self.global = global
    self.project = project
  }

  public func directory(_ scope: Scope) -> URL? {
    scope == .global ? global : project
  }

  /// `--config-dir`, else `$DRAMATIS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/dramatis`, else
  /// `~/.config/dramatis`; `--project`, else `.dramatis/` in the current directory when present.
  public static func resolve(
    configDir: String?, project: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) -> ConfigPaths {
    func url(_ path: String) -> URL {
      let expanded = expandingTilde(path, home: environment["HOME"])
      return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
        .standardizedFileURL
    }
    let global: URL
    if let configDir, !configDir.isEmpty {
      global = url(configDir)
    } else if let env = environment["DRAMATIS_CONFIG_DIR"], !env.isEmpty {
      global = url(env)
    } else if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
      global = url(xdg).appendingPathComponent("dramatis")
    } else {
      let home = environment["HOME"] ?? userHome(nil) ?? "/"
      global = url(home).appendingPathComponent(".config/dramatis")
    }
    var projectURL: URL?
    if let project, !project.isEmpty {
      projectURL = url(project)
    } else {
      let candidate = url(".dramatis")
      var isDir = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir {
        projectURL = candidate
      }
    }
    return ConfigPaths(global: global, project: projectURL)
  }
}

/// `~` and `~/…` as the home directory (`home`, else the user's entry), `~NAME/…` as NAME's; the
/// path as it is when there is no such user (as a shell leaves it).
func expandingTilde(_ path: String, home: String?) -> String {
  guard path.hasPrefix("~") else { return path }
  let slash = path.firstIndex(of: "/") ?? path.endIndex
  let name = String(path[path.index(after: path.startIndex)..<slash])
  let dir = name.isEmpty ? (home.flatMap { $0.isEmpty ? nil : $0 } ?? userHome(nil)) : userHome(name)
  guard var base = dir else { return path }
  while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
  let rest = path[slash...]
  return base == "/" && rest.hasPrefix("/") ? String(rest) : base + rest
}

/// The home directory in the user database: of `name`, or of the user running us.
func userHome(_ name: String?) -> String? {
  let entry = name.map { getpwnam($0) } ?? getpwuid(getuid())
  guard let entry, let dir = entry.pointee.pw_dir else { return nil }
  return String(cString: dir)
}
