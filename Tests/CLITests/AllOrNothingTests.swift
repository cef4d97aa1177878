import Foundation
import PersonaKit
import Testing

/// A change across several files is all or nothing: killed at any step of it (each temporary file
/// written, the journal's commit, each rename), the next command finds the old state or the new
/// one, complete — validate reports no error and the command can be run again.
@Suite struct AllOrNothingTests {
  /// The persona names in personas.toml and the ones mma.toml and ai_settings.toml refer to.
  func state(_ cli: CLI) throws -> (personas: Set<String>, references: [String]) {
    let personas = try TOMLParser.parse(cli.file("personas.toml")!).root["personas"]?.tableValue?.keys ?? []
    let tiers =
      try TOMLParser.parse(cli.file("mma.toml")!).root["tiers"]?.tableValue?.entries.compactMap {
        $0.value.stringValue
      } ?? []
    let bound = try TOMLParser.parse(cli.file("ai_settings.toml")!).root["persona"]?.stringValue
    return (Set(personas), tiers + [bound].compactMap { $0 })
  }

  @Test func aRenameKilledAtEveryStepIsAllOldOrAllNew() throws {
    var outcomes: [String] = []
    var step = 1
    while step < 40 {
      let cli = try CLI()
      defer { cli.cleanup() }
      try cli.run(["validate"])
      let r = try cli.run(["personas", "rename", "Worker", "Builder"], environment: ["DRAMATIS_CRASH_AT": "\(step)"])
      let killed = r.status == 137
      // The next command completes or leaves the change, before it reads anything.
      let v = try cli.run(["validate"])
      #expect(v.status == 0, "step \(step): \(v.stdout)\(v.stderr)")
      let s = try state(cli)
      let old =
        s.personas.contains("Worker") && !s.personas.contains("Builder") && s.references.contains("Worker")
        && !s.references.contains("Builder")
      let new =
        s.personas.contains("Builder") && !s.personas.contains("Worker") && s.references.contains("Builder")
        && !s.references.contains("Worker")
      #expect(old || new, "step \(step): a mix \(s)")
      #expect(!FileManager.default.fileExists(atPath: cli.configDir.appendingPathComponent(".dramatis-journal").path))
      outcomes.append(old ? "old" : "new")
      if !killed { break }  // the rename ran to its end: every step was tried
      // Run again: from the old state it renames, from the new it says there is nothing to rename.
      let again = try cli.run(["personas", "rename", "Worker", "Builder"])
      #expect(
        old ? again.status == 0 : again.stderr.contains("no persona named \"Worker\""), "step \(step): \(again.stderr)")
      step += 1
    }
    // Killed before the commit: old; after it: new (completed by the next command).
    #expect(outcomes.contains("old") && outcomes.contains("new"), "\(outcomes)")
    #expect(outcomes.firstIndex(of: "new").map { outcomes[$0...].allSatisfy { $0 == "new" } } == true, "\(outcomes)")
    #expect(step > 8, "\(step) steps")
  }
}

/// No space left in the middle of a change across files: nothing is changed, and the message says
/// so. (On a small tmpfs, where this machine lets the test mount one; skipped where it does not.)
@Suite(.serialized) struct NoSpaceLeftTests {
  @Test func aChangeThatRunsOutOfSpaceChangesNothing() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dramatis-enospc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: mountPoint) }
    let mount = Spawn.run(["/bin/mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", mountPoint.path])
    guard mount == 0 else { return }  // not allowed here: nothing to show
    defer { _ = Spawn.run(["/bin/umount", mountPoint.path]) }
    let dir = mountPoint.appendingPathComponent("config").path
    #expect(try cli.run(["validate", "--config-dir", dir]).status == 0)
    // Fill the space, leaving less than the change needs (a few KB).
    let filler = mountPoint.appendingPathComponent("filler")
    FileManager.default.createFile(atPath: filler.path, contents: nil)
    let handle = try FileHandle(forWritingTo: filler)
    let block = Data(count: 4096)
    while (try? handle.write(contentsOf: block)) != nil {}
    try handle.close()
    // Free a little: enough for some of the temporary files, not all.
    let size = (try FileManager.default.attributesOfItem(atPath: filler.path)[.size] as? Int) ?? 0
    let truncate = try FileHandle(forWritingTo: filler)
    try truncate.truncate(atOffset: UInt64(max(0, size - 6 * 4096)))
    try truncate.close()
    let before = try ["personas.toml", "mma.toml", "ai_settings.toml"].map {
      try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent($0))
    }
    let r = try cli.run(["personas", "rename", "Worker", "Builder", "--config-dir", dir])
    #expect(r.status == 1)
    #expect(r.stderr.contains("No space left on device") && r.stderr.contains("nothing was changed"), "\(r.stderr)")
    let after = try ["personas.toml", "mma.toml", "ai_settings.toml"].map {
      try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent($0))
    }
    #expect(after == before)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
      $0.contains(".tmp-") || $0.contains("journal")
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }
}

/// Runs a program, waits; its exit status.
enum Spawn {
  static func run(_ args: [String]) -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: args[0])
    p.arguments = Array(args.dropFirst())
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return -1 }
    p.waitUntilExit()
    return p.terminationStatus
  }
}

/// `history`, `diff N` and `undo [N]` on the command line.
@Suite struct HistoryCLITests {
  @Test func historyDiffAndUndo() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    try cli.run(["validate"])
    #expect(try cli.run(["history"]).stdout.contains("no changes recorded yet"))
    #expect(try cli.run(["undo"]).stderr.contains("nothing to undo"))
    let mma = cli.file("mma.toml")
    try cli.run(["personas", "rename", "Worker", "Builder"])
    let h = try cli.run(["history"])
    #expect(h.stdout.contains("1  ") && h.stdout.contains("rename persona \"Worker\" → \"Builder\""), "\(h.stdout)")
    let json = try cli.json(["history", "--json"])
    #expect(json.array?.first?["files"]?.array?.count == 3)
    let d = try cli.run(["diff", "1"])
    #expect(d.stdout.contains("- tier3 = \"Worker\"") && d.stdout.contains("+ tier3 = \"Builder\""), "\(d.stdout)")
    #expect(try cli.run(["diff", "9"]).status == 1)
    let u = try cli.run(["undo"])
    #expect(u.status == 0 && u.stdout.contains("undid change 1"), "\(u.stderr)")
    #expect(cli.file("mma.toml") == mma)
    #expect(try cli.run(["history"]).stdout.contains("2  ") == true)
  }
}
