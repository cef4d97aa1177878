import Foundation
import PersonaKit
import Testing

/// `kill -9` at any moment of a save leaves the old file or the new one, never a partial one.
@Suite struct CrashSafetyTests {
  @Test func killingWritersInALoopNeverLeavesAPartialFile() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    _ = try cli.run(["validate"])
    // A big file, so that a save takes long enough to be killed in the middle of it.
    var big = cli.file("personas.toml")!
    for i in 0..<1500 {
      big += "\n[personas.\"Filler \(i)\"]\ndescription = \"\(String(repeating: "x", count: 200))\"\n"
    }
    try cli.write("personas.toml", big)
    // How long one create takes here; the save comes at its end, so the kills aim around it.
    let start = Date()
    _ = try cli.run(["personas", "create", "Timing"])
    let duration = Date().timeIntervalSince(start)
    let window = UInt32(0)...UInt32(duration * 2_000_000)  // before, during and after the save
    var versions: Set<String> = [cli.file("personas.toml")!]
    var killed = 0
    var rng = SystemRandomNumberGenerator()
    for i in 0..<40 {
      let before = cli.file("personas.toml")!
      let p = Process()
      p.executableURL = CLI.binary
      p.arguments = ["personas", "create", "Crash \(i)", "--config-dir", cli.configDir.path]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      usleep(UInt32.random(in: window, using: &rng))
      if kill(p.processIdentifier, SIGKILL) == 0 { killed += 1 }
      p.waitUntilExit()
      let after = cli.file("personas.toml")!
      // Parses, and is the file before this writer or the one it meant to write.
      let parsed = try TOMLParser.parse(after)
      let names = parsed.root["personas"]?.tableValue?.keys ?? []
      #expect(after == before || names.contains("Crash \(i)"), "round \(i): neither the old nor the new file")
      #expect(names.contains("Filler 1499"), "round \(i): personas lost")
      versions.insert(after)
    }
    #expect(killed > 0)
    #expect(versions.count > 2, "some writers must have finished their save")
    // A later save removes what killed writers left behind.
    _ = try cli.run(["personas", "create", "Final"])
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.configDir.path).filter {
      $0.contains(".tmp-")
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }
}

/// Two processes saving the same file at once: each save either lands or is refused with the
/// reason; a save reported as done is never lost.
@Suite struct ConcurrentWritersTests {
  @Test func concurrentCreatesNeverLoseAReportedSave() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    _ = try cli.run(["validate"])
    var processes: [(String, Process)] = []
    for i in 0..<12 {
      for side in ["A", "B"] {
        let name = "\(side)\(i)"
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["personas", "create", name, "--config-dir", cli.configDir.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        processes.append((name, p))
      }
    }
    var succeeded: [String] = []
    for (name, p) in processes {
      p.waitUntilExit()
      if p.terminationStatus == 0 { succeeded.append(name) }
    }
    let root = try TOMLParser.parse(cli.file("personas.toml")!).root
    let names = Set(root["personas"]?.tableValue?.keys ?? [])
    #expect(!succeeded.isEmpty)
    for name in succeeded { #expect(names.contains(name), "\(name) was reported saved but is not in the file") }
  }
}
