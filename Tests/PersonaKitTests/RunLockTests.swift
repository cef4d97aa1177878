import Foundation
import Testing

@testable import PersonaKit

/// One run per track, and a run whose logs cannot be written is refused before it starts.
@Suite struct RunLockTests {
  let track = """
    name = "t"
    [[tickets]]
    id = "A"
    tier = 3
    description = "one"
    """

  @Test func aSecondRunOfATrackIsRefusedNamingTheFirstsPid() async throws {
    let f = try Fixture()
    try f.write("tracks/t.toml", track)
    let engine = try ConductorEngine(workspace: f.load(), track: "t", runner: DryRunRunner())
    // The first run holds the lock (here: this process, through a lock of its own).
    do {
      let held = try RunLock.take(track: "t", logs: engine.log.directory)
      defer { withExtendedLifetime(held) {} }
      do {
        _ = try await engine.run()
        Issue.record("expected the run to be refused")
      } catch {
        #expect(error == .alreadyRunning(track: "t", pid: getpid()))
        #expect(error.description.contains("is being run already (pid \(getpid()))"), "\(error.description)")
      }
      #expect(engine.log.events(tier: 3).isEmpty)
    }
    // Once it ends, the next run goes.
    let next = try ConductorEngine(workspace: f.load(), track: "t", runner: DryRunRunner())
    _ = try await next.run()
    #expect(!next.log.events(tier: 3).isEmpty)
  }

  @Test func aLockLeftByADeadRunIsTakenOver() async throws {
    let f = try Fixture()
    try f.write("tracks/t.toml", track)
    let engine = try ConductorEngine(workspace: f.load(), track: "t", runner: DryRunRunner())
    // A run that was killed: its lock file (with its pid) stays; its flock went with the process
    // (the kernel drops it), so nothing holds the file.
    let lock = engine.log.directory.appendingPathComponent(".run.lock").path
    try FileManager.default.createDirectory(at: engine.log.directory, withIntermediateDirectories: true)
    try "999999\n".write(toFile: lock, atomically: false, encoding: .utf8)
    // The next run takes it, and writes its own pid over the dead one.
    let again = try ConductorEngine(workspace: f.load(), track: "t", runner: DryRunRunner())
    _ = try await again.run()
    #expect(try String(contentsOfFile: lock, encoding: .utf8) == "\(getpid())\n")
  }

  @Test func logsThatCannotBeWrittenRefuseTheRunBeforeAnythingStarts() async throws {
    let f = try Fixture()
    try f.write("tracks/t.toml", track)
    // `logs` is a file here: its folder cannot be made.
    try f.write("logs", "not a folder")
    let before = try f.read("tracks/t.toml")
    let engine = try ConductorEngine(workspace: f.load(), track: "t", runner: DryRunRunner())
    do {
      _ = try await engine.run()
      Issue.record("expected the run to be refused")
    } catch {
      guard case .logsUnavailable(let path, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path.hasSuffix("logs/t"))
      #expect(error.description.contains("nothing was started"))
    }
    #expect(try f.read("tracks/t.toml") == before)
  }
}

/// A worker's children that outlive it end with it.
@Suite struct ExecRunnerChildrenTests {
  @Test func aBackgroundedChildIsKilledWhenItsWorkerEnds() async throws {
    let f = try Fixture()
    let marker = f.root.appendingPathComponent("child.pid").path
    let script = f.root.appendingPathComponent("worker.sh")
    try "#!/bin/sh\nsleep 60 &\necho $! > \(marker)\necho started\n".write(
      to: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    try f.write("tracks/t.toml", "name = \"t\"\n[[tickets]]\nid = \"A\"\ntier = 3\n")
    let engine = try ConductorEngine(workspace: f.load(), track: "t", runner: ExecRunner(command: [script.path]))
    let summary = try await engine.run()
    #expect(summary.done == ["A"], "\(summary)")
    let pid = try #require(
      Int32(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    // Killed (and reaped by init, or a zombie for an instant): not running.
    var gone = false
    for _ in 0..<50 {
      let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")
      if state == nil || state?[2] == "Z" {
        gone = true
        break
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    #expect(gone, "the backgrounded sleep \(pid) still runs")
  }
}
