import DramatisResources
import Foundation
import PersonaKit

/// A temporary config dir (and optional project dir) for one test, removed when it ends.
final class Fixture {
  let root: URL
  let global: URL
  let project: URL?

  /// With `defaults`, the global dir starts as a copy of `Resources/defaults`.
  init(defaults: Bool = true, project: Bool = false) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-test-\(UUID().uuidString)")
    global = root.appendingPathComponent("global")
    self.project = project ? root.appendingPathComponent("project") : nil
    try FileManager.default.createDirectory(at: global, withIntermediateDirectories: true)
    if let p = self.project { try FileManager.default.createDirectory(at: p, withIntermediateDirectories: true) }
    if defaults {
      try FileManager.default.removeItem(at: global)
      try Workspace.bootstrap(global, files: DefaultConfigFiles.files)
    }
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  static var defaultsDir: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Resources/defaults")
  }

  var paths: ConfigPaths { ConfigPaths(global: global, project: project) }
  func load() -> Workspace { Workspace.load(paths) }
  func manager() -> PersonaManager { PersonaManager(load()) }

  func url(_ name: String, scope: Scope = .global) -> URL {
    (scope == .global ? global : project!).appendingPathComponent(name)
  }

  func write(_ name: String, _ text: String, scope: Scope = .global) throws {
    let u = url(name, scope: scope)
    try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: u, atomically: false, encoding: .utf8)
  }

  func read(_ name: String, scope: Scope = .global) throws -> String {
    try String(contentsOf: url(name, scope: scope), encoding: .utf8)
  }

  func data(_ name: String, scope: Scope = .global) -> Data? {
    FileManager.default.contents(atPath: url(name, scope: scope).path)
  }
}
