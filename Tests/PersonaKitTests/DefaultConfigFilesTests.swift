import DramatisResources
import Foundation
import PersonaKit
import Testing

/// The defaults built into the binary are `Resources/defaults`, every file with its bytes (a file
/// added there and not listed in `DefaultConfigFiles.files` fails here), and a first start writes
/// them all.
@Suite struct DefaultConfigFilesTests {
  @Test func theBuiltInDefaultsAreTheFilesOfResourcesDefaults() throws {
    let dir = Fixture.defaultsDir
    let enumerator = FileManager.default.enumerator(atPath: dir.path)
    var onDisk: [String: [UInt8]] = [:]
    while let path = enumerator?.nextObject() as? String {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir.appendingPathComponent(path).path, isDirectory: &isDir),
        !isDir.boolValue, !path.hasPrefix(".")
      else { continue }
      onDisk[path] = Array(try Data(contentsOf: dir.appendingPathComponent(path)))
    }
    let built = Dictionary(uniqueKeysWithValues: DefaultConfigFiles.files.map { ($0.path, $0.bytes) })
    #expect(built.count == DefaultConfigFiles.files.count)
    #expect(Set(built.keys) == Set(onDisk.keys))
    for (path, bytes) in onDisk { #expect(built[path] == bytes, "\(path)") }
  }

  @Test func aFirstStartWritesEveryDefaultAndLoadsClean() throws {
    let f = try Fixture(defaults: false)
    let global = f.global.appendingPathComponent("new")
    #expect(try Workspace.bootstrap(global, files: DefaultConfigFiles.files))
    for (path, bytes) in DefaultConfigFiles.files {
      #expect(Array(try Data(contentsOf: global.appendingPathComponent(path))) == bytes, "\(path)")
    }
    let ws = Workspace.load(ConfigPaths(global: global))
    #expect(Validator.validate(ws).filter { $0.severity == .error }.isEmpty)
    #expect(ws.config.tracks["auth"] != nil)
  }
}
