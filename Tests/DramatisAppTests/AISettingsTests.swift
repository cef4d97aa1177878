import Foundation
import PersonaKit
import SnapshotTesting
import TermUI
import Testing

@testable import DramatisApp

/// The AI Settings panel, driven by key scripts and checked on the screen and on disk.
@Suite struct AISettingsTests {
  func screen(_ app: inout DramatisApp, _ w: Int = 80, _ h: Int = 24, theme: Theme = .color) -> Buffer {
    RunLoop.frame(&app, width: w, height: h, theme: theme)
  }

  func row(_ b: Buffer, _ label: String) -> String {
    b.textLines.first { $0.contains("│ \(label)") } ?? ""
  }

  @Test func snapshots() throws {
    let f = try AppFixture(name: "dramatis-snapshot-config")
    var app = DramatisApp(workspace: f.load())
    assertSnapshot(of: screen(&app, 80, 24), as: .buffer, named: "80x24")
    assertSnapshot(of: screen(&app, 120, 40), as: .buffer, named: "120x40")
    press(&app, "Enter")
    assertSnapshot(of: screen(&app, 80, 24), as: .buffer, named: "persona-dropdown-open")
    press(&app, "Esc Tab Tab Tab BSpace 5 Tab")
    assertSnapshot(of: screen(&app, 80, 24, theme: .monochrome), as: .buffer, named: "modified-mono")
  }

  /// A popup taller than the room below its field stops above the status line (it was drawn to
  /// the last row, and the status line then covered its bottom edge).
  @Test func aPopupStopsAboveTheStatusLine() throws {
    let f = try AppFixture()
    var text = try f.read("personas.toml")
    for i in 1...8 { text += "\n[personas.\"Extra \(i)\"]\ndescription = \"x\"\n" }
    try f.write("personas.toml", text)
    var app = DramatisApp(workspace: f.load())
    _ = screen(&app, 44, 14)
    press(&app, "Enter")
    let l = screen(&app, 44, 14).textLines
    #expect(l[13].hasPrefix(" AI Settings"))
    #expect(l[12].hasPrefix("└───────────────└─────"), "\(l.joined(separator: "\n"))")
    #expect(l[11].contains("│ Extra 3"))
  }

  @Test func selectingAPersonaFillsTheFields() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Enter QA Enter")
    let b = screen(&app)
    #expect(row(b, "Persona").contains("QA Analyst"))
    #expect(row(b, "Provider").contains("gemini"))
    #expect(row(b, "Model").contains("gemini-2.5-flash"))
    #expect(row(b, "Temperature").contains("0.1"))
    #expect(row(b, "Tool preset").contains("QA"))
    #expect(try f.read("ai_settings.toml").contains("persona = \"QA Analyst\""))
  }

  @Test func editingUnbindsAndMarksTheFieldThenRevertRebinds() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Tab Tab C-u \"0.7\" Tab")
    var b = screen(&app)
    #expect(row(b, "Temperature").contains("* 0.7"))
    #expect(!row(b, "Top-p").contains("*"))
    #expect(try f.read("ai_settings.toml").contains("temperature = 0.7"))
    // The attribute layer marks it too.
    let y = b.textLines.firstIndex { $0.contains("│ Temperature") }!
    let star = b.textLines[y].firstIndex(of: "*")!
    let x = b.textLines[y].distance(from: b.textLines[y].startIndex, to: star)
    #expect(b[x, y].style == Theme.color.modified)
    press(&app, "S-Tab C-r")
    b = screen(&app)
    #expect(row(b, "Temperature").contains("0.2"))
    #expect(!row(b, "Temperature").contains("*"))
    #expect(!(try f.read("ai_settings.toml")).contains("temperature"))
  }

  @Test func boundFieldsFollowThePersonaWhenItChangesOnDisk() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Tab Enter gpt-5 Enter")  // Model → free text gpt-5 (unbound)
    #expect(row(screen(&app), "Model").contains("gpt-5"))
    // Another program edits the persona.
    var text = try f.read("personas.toml")
    text = text.replacingOccurrences(
      of:
        "{ provider = \"anthropic\", model = \"claude-sonnet-4-5\", temperature = 0.2, max_output_tokens = 8192 },\n  { provider = \"openai\"",
      with:
        "{ provider = \"anthropic\", model = \"claude-opus-4-1\", temperature = 0.4, max_output_tokens = 8192 },\n  { provider = \"openai\""
    )
    try f.write("personas.toml", text)
    let reloaded = app.tick()
    #expect(reloaded)
    let b = screen(&app)
    #expect(row(b, "Temperature").contains("0.4"))  // bound: follows
    #expect(row(b, "Model").contains("* gpt-5") || row(b, "Model").contains("*  gpt-5"))  // unbound: kept
    #expect(b.textLines.last?.contains("reloaded personas.toml") == true)
    let again = app.tick()
    #expect(!again)  // nothing changed since
  }

  @Test func saveToPersonaAsksThenWrites() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Tab Tab C-u \"0.5\" Tab Tab Tab Tab Tab Tab Enter")
    let dialog = screen(&app)
    #expect(dialog.textLines.contains { $0.contains("Temperature: 0.2 → 0.5") })
    #expect(!(try f.read("personas.toml")).contains("claude-sonnet-4-5\", temperature = 0.5"))
    press(&app, "Enter")
    #expect(try f.read("personas.toml").contains("model = \"claude-sonnet-4-5\", temperature = 0.5"))
    let b = screen(&app)
    #expect(!row(b, "Temperature").contains("*"))  // bound again, to the saved value
    #expect(row(b, "Temperature").contains("0.5"))
    // Esc cancels.
    press(&app, "S-Tab S-Tab S-Tab S-Tab S-Tab C-u \"0.9\" Tab Tab Tab Tab Tab Tab Enter Esc")
    #expect(!(try f.read("personas.toml")).contains("temperature = 0.9"))
  }

  @Test func thePanelComesBackOnTheNextStart() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Enter Tech Enter Tab Tab Tab Tab Tab C-u 1000 Tab")
    var again = DramatisApp(workspace: f.load())
    let b = screen(&again)
    #expect(row(b, "Persona").contains("Tech Lead"))
    #expect(row(b, "Max output tokens").contains("* 1000"))
  }

  @Test func aBrokenFileStillOpensAndSaysWhere() throws {
    let f = try AppFixture()
    try f.write("presets.toml", "[presets.X\n")
    var app = DramatisApp(workspace: f.load())
    let b = screen(&app, 120, 24)
    #expect(b.textLines.last?.contains("presets.toml:1:") == true)
    #expect(row(b, "Persona").contains("Worker"))
  }
}
