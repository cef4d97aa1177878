import DramatisResources
import Foundation
import PersonaKit
import TermUI

@testable import DramatisApp

/// A config dir copied from the shipped defaults, for one test.
final class AppFixture {
  let root: URL
  var paths: ConfigPaths { ConfigPaths(global: root) }

  /// `name` fixes the folder's name (snapshots show the config dir in the status line).
  init(name: String? = nil) throws {
    root =
      name.map { URL(fileURLWithPath: "/tmp").appendingPathComponent($0) }
      ?? FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-app-\(UUID().uuidString)")
    try? FileManager.default.removeItem(at: root)
    try Workspace.bootstrap(root, files: DefaultConfigFiles.files)
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  func load() -> Workspace { Workspace.load(paths) }

  func read(_ name: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
  }

  func write(_ name: String, _ text: String) throws {
    try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }
}

/// Types a key script (`Key.script`) into the app.
func press(_ app: inout DramatisApp, _ script: String) {
  for k in Key.script(script) { _ = app.handle(k) }
}

/// The app's screen as text, drawn at `w` x `h`.
func lines(_ app: inout DramatisApp, _ w: Int = 120, _ h: Int = 40) -> [String] {
  RunLoop.frame(&app, width: w, height: h, theme: .color).textLines
}
