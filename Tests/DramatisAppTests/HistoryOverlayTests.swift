import Foundation
import PersonaKit
import TermUI
import Testing

@testable import DramatisApp

/// The history of changes over any screen (F6): the recent changes, a diff, an undo.
@Suite struct HistoryOverlayTests {
  @Test func f6ListsTheChangesAndEnterUndoesTheSelectedOne() throws {
    let f = try AppFixture()
    let mma = try f.read("mma.toml")
    var m = PersonaManager(f.load())
    try m.rename(.persona, "Worker", to: "Builder")
    try m.create(Persona(name: "Later"), .persona, scope: .global)
    var app = DramatisApp(workspace: f.load())
    press(&app, "F6")
    var shown = lines(&app).joined(separator: "\n")
    #expect(shown.contains("History of changes"))
    #expect(shown.contains("▸ 2") && shown.contains("create persona \"Later\""), "\(shown)")
    press(&app, "Down d")
    shown = lines(&app).joined(separator: "\n")
    #expect(shown.contains("+ tier3 = \"Builder\""), "\(shown)")
    // The rename is under the later change to personas.toml: refused, with the file named.
    press(&app, "Enter")
    #expect(app.message.contains("cannot undo change 1") && app.message.contains("personas.toml"), "\(app.message)")
    press(&app, "F6 Enter F6 Down Down Enter")  // undo 2 (itself change 3), then 1
    #expect(app.message.hasPrefix("undid change 1"), "\(app.message)")
    #expect(try f.read("mma.toml") == mma)
    #expect(app.config.personas.contains("Worker"))
    press(&app, "F6 Esc")
    #expect(app.history == nil)
  }
}
