import Foundation
import PersonaKit

/// Runs the built `dramatis` binary, as a user would from a shell.
struct CLI {
  let configDir: URL

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  init() throws {
    configDir = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-cli-\(UUID().uuidString)")
  }

  func cleanup() { try? FileManager.default.removeItem(at: configDir) }

  /// The binary next to the test bundle (SwiftPM builds executables into the same folder).
  static var binary: URL {
    let candidates = [
      Bundle.main.bundleURL.appendingPathComponent("dramatis"),
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dramatis"),
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/dramatis"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
  }

  @discardableResult
  func run(_ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = args.contains("--config-dir") ? args : args + ["--config-dir", configDir.path]
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "DRAMATIS_CONFIG_DIR")
    for (k, v) in environment { env[k] = v }
    p.environment = env
    p.currentDirectoryURL = FileManager.default.temporaryDirectory
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  func json(_ args: [String]) throws -> JSONValue {
    let r = try run(args)
    return try JSONParser.parse(r.stdout)
  }

  func file(_ name: String) -> String? {
    try? String(contentsOf: configDir.appendingPathComponent(name), encoding: .utf8)
  }

  func write(_ name: String, _ text: String) throws {
    let u = configDir.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: u, atomically: false, encoding: .utf8)
  }
}
