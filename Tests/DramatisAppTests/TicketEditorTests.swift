import Foundation
import PersonaKit
import SnapshotTesting
import TermUI
import Testing

@testable import DramatisApp

@Suite struct TicketEditorTests {
  func lines(_ app: inout DramatisApp, _ w: Int = 120, _ h: Int = 30) -> [String] {
    RunLoop.frame(&app, width: w, height: h, theme: .color).textLines
  }

  /// From the ticket list to a form field.
  func to(_ field: String) -> String {
    let n = TicketEditor.order.firstIndex(of: field)! - 1
    return Array(repeating: "Tab", count: n).joined(separator: " ")
  }

  @Test func snapshots() throws {
    let f = try AppFixture(name: "dramatis-snapshot-tickets")
    var app = DramatisApp(workspace: f.load())
    press(&app, "F4 Tab Down Down Down")
    assertSnapshot(of: RunLoop.frame(&app, width: 80, height: 24, theme: .color), as: .buffer, named: "80x24")
    assertSnapshot(of: RunLoop.frame(&app, width: 120, height: 40, theme: .color), as: .buffer, named: "120x40")
    press(&app, "\(to("persona")) Enter")
    assertSnapshot(
      of: RunLoop.frame(&app, width: 120, height: 40, theme: .color), as: .buffer, named: "persona-dropdown")
  }

  @Test func settingAndClearingAnOverrideChangesTheEffectivePersona() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F4 Tab")  // T-001, inheriting Worker from tier 3
    #expect(lines(&app).contains { $0.contains("persona: Worker") })
    press(&app, "\(to("persona")) Enter")
    #expect(lines(&app).contains { $0.contains("(inherit: Worker)") })
    press(&app, "QA Enter")
    #expect(lines(&app).contains { $0.contains("persona: QA Analyst") })  // preview before saving
    press(&app, "C-s")
    #expect(
      try f.read("tracks/auth.toml").contains(
        "id = \"T-001\"\ndescription = \"Map the current login endpoint: handlers, middleware and tests\"\nstatus = \"todo\"\ntier = 3\ndepends_on = []\npersona_id = \"QA Analyst\""
      ))
    let r = try Resolver(f.load().config).resolve(tier: nil, track: "auth", ticket: "T-001")
    #expect(r.personaName == "QA Analyst" && r.source == .ticketOverride)
    press(&app, "Enter Home Enter C-s")  // back to (inherit: …)
    #expect(!(try f.read("tracks/auth.toml")).contains("persona_id = \"QA Analyst\""))
    #expect(try Resolver(f.load().config).resolve(tier: nil, track: "auth", ticket: "T-001").source == .tierAssignment)
  }

  @Test func dependsOnRefusesUnknownIdsAndCycles() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    let before = try f.read("tracks/auth.toml")
    press(&app, "F4 Tab \(to("depends_on")) C-u T-999 C-s")
    #expect(lines(&app).last?.contains("not saved: depends_on: unknown ticket T-999") == true)
    press(&app, "C-u T-006 C-s")  // T-006 depends (through T-004, T-005…) on T-001
    #expect(lines(&app).last?.contains("dependency cycle: T-001 → T-006") == true)
    #expect(try f.read("tracks/auth.toml") == before)
    press(&app, "C-r")
    #expect(lines(&app).last?.contains("reverted") == true)
  }

  @Test func aTierOutsideOneToFourIsShownAsItIsAndKeptUntilChanged() throws {
    let f = try AppFixture()
    var text = try f.read("tracks/auth.toml")
    text = text.replacingOccurrences(
      of:
        "id = \"T-001\"\ndescription = \"Map the current login endpoint: handlers, middleware and tests\"\nstatus = \"todo\"\ntier = 3",
      with:
        "id = \"T-001\"\ndescription = \"Map the current login endpoint: handlers, middleware and tests\"\nstatus = \"todo\"\ntier = -9223372036854775808"
    )
    try f.write("tracks/auth.toml", text)
    var app = DramatisApp(workspace: f.load())
    // The smallest integer (1 less than it trapped): shown as it is, no tier chosen.
    press(&app, "F4 Tab")
    #expect(lines(&app).contains { $0.contains("Tier         -9223372036854775808 (not 1–4)") })
    // Another field saved: the file keeps its tier (validation goes on reporting it).
    press(&app, "\(to("description")) End \"!\" C-s")
    #expect(lines(&app).last?.contains("saved T-001") == true)
    #expect(try f.read("tracks/auth.toml").contains("tests!\"\nstatus = \"todo\"\ntier = -9223372036854775808\n"))
    // A tier chosen replaces it (from the description: status, then tier).
    press(&app, "Tab Tab Enter Down Enter C-s")
    #expect(try f.read("tracks/auth.toml").contains("tests!\"\nstatus = \"todo\"\ntier = 2\n"))
  }

  @Test func switchingTicketsWithUnsavedChangesIsRefused() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F4 Tab \(to("description")) End \"!\" S-Tab Down")
    #expect(lines(&app).last?.contains("unsaved changes to T-001") == true)
    #expect(lines(&app).contains { $0.contains("ID          T-001") })
  }
}

@Suite struct AppShellTests {
  func press(_ app: inout DramatisApp, _ script: String) -> AppCommand {
    var last = AppCommand.none
    for k in Key.script(script) { last = app.handle(k) }
    return last
  }

  @Test func ctrlQAsksWhenSomethingIsUnsaved() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    #expect(press(&app, "F5 Tab \"x\" C-q") == .none)
    #expect(
      RunLoop.frame(&app, width: 120, height: 30, theme: .color).textLines.last?.contains("quit anyway? y / n") == true)
    #expect(press(&app, "n") == .none)
    #expect(app.isEditorOpen)
    #expect(press(&app, "C-q y") == .quit)
    var clean = DramatisApp(workspace: f.load())
    #expect(press(&clean, "C-q") == .quit)
  }

  @Test func screensHaveNonFKeyAlternatives() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    _ = press(&app, "M-3")
    #expect(app.screen == .mma)
    _ = press(&app, "M-4")
    #expect(app.screen == .tickets)
    _ = press(&app, "M-2")
    #expect(app.screen == .aiSettings)
    _ = press(&app, "C-p")
    #expect(app.isEditorOpen)
    _ = press(&app, "C-p")
    #expect(!app.isEditorOpen)
  }

  @Test func theEditorOverEachScreenAndAValidationError() throws {
    let f = try AppFixture(name: "dramatis-snapshot-shell")
    var app = DramatisApp(workspace: f.load())
    _ = press(&app, "F4 F5")
    assertSnapshot(
      of: RunLoop.frame(&app, width: 120, height: 40, theme: .color), as: .buffer, named: "editor-over-tickets")
    // Temperature 1.5 is outside anthropic's 0–1: refused, with the reason, nothing written.
    let before = try String(contentsOf: f.root.appendingPathComponent("personas.toml"), encoding: .utf8)
    _ = press(&app, "Tab Tab Tab Tab Tab C-u 1.5 C-s")
    let b = RunLoop.frame(&app, width: 120, height: 40, theme: .color)
    #expect(
      b.textLines.last?.contains("not saved: preferred_models[0].temperature: 1.5 is outside anthropic's range 0.0–1.0")
        == true)
    assertSnapshot(of: b, as: .buffer, named: "validation-error")
    #expect(try String(contentsOf: f.root.appendingPathComponent("personas.toml"), encoding: .utf8) == before)
  }

  @Test func anEditedFieldKeepsItsValueWhenThePersonaIsSavedInTheEditor() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    _ = press(&app, "Tab Tab Tab C-u 0.9 Tab")  // AI Settings: temperature unbound at 0.9
    _ = press(&app, "F5 Tab Tab Tab Tab Tab C-u 0.3 Tab C-u 0.8 C-s Esc")  // Worker: temperature 0.3, top_p 0.8
    let lines = RunLoop.frame(&app, width: 80, height: 24, theme: .color).textLines
    #expect(lines.contains { $0.contains("Temperature") && $0.contains("* 0.9") })  // edited: kept
    #expect(lines.contains { $0.contains("Top-p") && $0.contains("0.8") && !$0.contains("*") })  // bound: follows
  }
}

@Suite struct HelpTests {
  @Test func f1ShowsTheKeysOfWhatHasTheFocus() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    for k in Key.script("F5 F1") { _ = app.handle(k) }
    let lines = RunLoop.frame(&app, width: 120, height: 40, theme: .color).textLines
    #expect(lines.contains { $0.contains("Persona Editor") && $0.contains("│") })
    #expect(lines.contains { $0.contains("C-e") && $0.contains("$VISUAL") })
    for k in Key.script("Esc Esc F3 F1") { _ = app.handle(k) }
    #expect(RunLoop.frame(&app, width: 120, height: 40, theme: .color).textLines.contains { $0.contains("stream log") })
  }
}
