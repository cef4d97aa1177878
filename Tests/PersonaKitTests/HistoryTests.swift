import Foundation
import Testing

@testable import PersonaKit

/// Every change is recorded with the bytes it replaced; undo restores them exactly, and is
/// refused over a later change it would overwrite.
@Suite struct HistoryTests {
  /// Every file of the config dir but the history's own (and the lock and backups).
  func snapshot(_ f: Fixture) -> [String: Data] {
    var out: [String: Data] = [:]
    let e = FileManager.default.enumerator(atPath: f.global.path)
    while let p = e?.nextObject() as? String {
      if p.hasPrefix("history") || p.hasSuffix(".bak") || p.hasSuffix(".lock") { continue }
      if let d = FileManager.default.contents(atPath: f.global.appendingPathComponent(p).path) { out[p] = d }
    }
    return out
  }

  @Test func undoOfEveryKindOfChangeRestoresTheBytesExactly() throws {
    let f = try Fixture()
    try f.write("personas.toml", "# mine\n" + (try f.read("personas.toml")) + "\n# the end\n")
    let changes: [(String, (inout PersonaManager) throws -> Void)] = [
      ("create", { try $0.create(Persona(name: "New", description: "n"), .persona, scope: .global) }),
      (
        "update",
        { m in
          var w = m.config.personas["Worker"]!
          w.description = "changed"
          try m.update(w, .persona)
        }
      ),
      ("rename", { try $0.rename(.persona, "Tech Lead", to: "Tech Leader") }),
      ("duplicate", { _ = try $0.duplicate(.persona, "QA Analyst") }),
      ("delete", { try $0.delete(.persona, "Worker", force: true) }),
      ("tier", { try $0.assignTier(2, persona: "QA Analyst") }),
      (
        "ticket",
        { m in
          var t = m.config.tracks["auth"]!
          t.tickets[0].status = "done"
          try m.saveTrack(t)
        }
      ),
      (
        "AI Settings",
        { m in
          var s = m.config.aiSettings
          s.overrides["temperature"] = .float(0.5)
          try m.saveAISettings(s)
        }
      ),
      ("import", { try $0.importPersonas([Persona(name: "Imported")], scope: .global, replace: false) }),
    ]
    for (name, change) in changes {
      let before = snapshot(f)
      var m = f.manager()
      try change(&m)
      #expect(snapshot(f) != before, "\(name) changed nothing")
      let last = try #require(History.entries(f.paths).last)
      try History.undo(last.number, paths: f.paths)
      #expect(snapshot(f) == before, "\(name): undo did not restore the bytes")
      #expect(History.entries(f.paths).last?.summary.hasPrefix("undo change \(last.number)") == true)
    }
  }

  @Test func undoIsRefusedOverALaterChangeItWouldOverwrite() throws {
    let f = try Fixture()
    var m = f.manager()
    try m.rename(.persona, "Worker", to: "Builder")
    let rename = try #require(History.entries(f.paths).last)
    #expect(rename.summary == "rename persona \"Worker\" → \"Builder\"")
    #expect(rename.files.count == 3)
    var again = f.manager()
    try again.create(Persona(name: "Later"), .persona, scope: .global)
    let before = snapshot(f)
    do {
      try History.undo(rename.number, paths: f.paths)
      Issue.record("expected a refusal")
    } catch {
      #expect(error.description.contains("changed since") && error.description.contains("personas.toml"), "\(error)")
    }
    #expect(snapshot(f) == before)
    // Undo the later one first, then the rename: back where it began.
    try History.undo(History.entries(f.paths).last!.number, paths: f.paths)
    try History.undo(rename.number, paths: f.paths)
    #expect(f.manager().config.personas.contains("Worker") && !f.manager().config.personas.contains("Builder"))
    #expect(!Validator.hasErrors(Validator.validate(f.load())))
  }

  @Test func theDiffShowsTheLinesAChangeMade() throws {
    let f = try Fixture()
    var m = f.manager()
    try m.assignTier(2, persona: "QA Analyst")
    let e = try #require(History.entries(f.paths).last)
    let d = History.diff(e)
    #expect(d.contains("- tier2 = \"Tech Lead\""), "\(d)")
    #expect(d.contains("+ tier2 = \"QA Analyst\""), "\(d)")
    #expect(LineDiff.lines(["a", "b", "c"], ["a", "x", "c"]) == ["- b", "+ x"])
  }

  @Test func aRehearsalAndTheConductorRecordNothing() throws {
    let f = try Fixture()
    var ws = f.load()
    ws.rehearsal = true
    var m = PersonaManager(ws)
    _ = try? m.create(Persona(name: "Rehearsed"), .persona, scope: .global)
    var t = f.load()
    t.scopes[.global]!.tracks[0].tickets[0].status = "done"
    try t.save([.track("auth", .global)])
    #expect(History.entries(f.paths).isEmpty)
  }
}
