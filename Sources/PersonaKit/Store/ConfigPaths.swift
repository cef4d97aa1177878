import Foundation

/// The two folders the configuration lives in.
public struct ConfigPaths: Sendable, Equatable {
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
      let expanded = (path as NSString).expandingTildeInPath
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
      let home = environment["HOME"] ?? NSHomeDirectory()
      global = url(home).appendingPathComponent(".config/dramatis")
    }
    var projectURL: URL?
    if let project, !project.isEmpty {
      projectURL = url(project)
    } else {
      let candidate = url(".dramatis")
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue {
        projectURL = candidate
      }
    }
    return ConfigPaths(global: global, project: projectURL)
  }
}
