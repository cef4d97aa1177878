import Foundation
import PersonaKit
import TermUI
import Testing

@testable import DramatisApp

/// The seams between surfaces: the screens agree with `validate` and with each other, and change
/// no file the user did not ask to change.
@Suite struct SeamsTests {
  func to(_ field: String) -> String {
    let n = TicketEditor.order.firstIndex(of: field)! - 1
    return Array(repeating: "Tab", count: n).joined(separator: " ")
  }

  /// A ticket whose persona_id names no persona: shown as it is, the form is clean, moving away
  /// is allowed, and a save of another field keeps persona_id in the file.
  @Test func aTicketsUnknownPersonaIsShownAndKept() throws {
    let f = try AppFixture()
    try f.write(
      "tracks/auth.toml",
      try f.read("tracks/auth.toml").replacingOccurrences(
        of: "persona_id = \"Security Reviewer\"", with: "persona_id = \"Nope\""))
    var app = DramatisApp(workspace: f.load())
    press(&app, "F4 Tab Down Down Down")  // T-004
    let shown = lines(&app)
    #expect(shown.contains { $0.contains("Persona      Nope — unknown persona") }, "\(shown.joined(separator: "\n"))")
    #expect(!shown.contains { $0.contains("modified") })
    #expect(!app.tickets.isDirty(app.config))
    press(&app, "C-r Down Up")  // revert, then away and back: nothing refused
    #expect(!(lines(&app).last ?? "").contains("unsaved changes"))
    #expect(lines(&app).contains { $0.contains("ID          T-004") })
    // The dashboard's list shows it too.
    press(&app, "F3")
    #expect(lines(&app).contains { $0.contains("T-004") && $0.contains("▸ Nope — unknown persona") })
    // A save of the description keeps the value.
    press(&app, "F4 \(to("description")) End \" now\" C-s")
    let text = try f.read("tracks/auth.toml")
    #expect(text.contains("now"))
    #expect(text.contains("persona_id = \"Nope\""))
    // Choosing a persona replaces it.
    var again = DramatisApp(workspace: f.load())
    press(&again, "F4 Tab Down Down Down \(to("persona")) Enter QA Enter C-s")
    #expect(try f.read("tracks/auth.toml").contains("persona_id = \"QA Analyst\""))
  }

  /// AI Settings "Save to persona" asks the rules the editor asks: a temperature outside the
  /// provider's range is refused with the error, and personas.toml is not written.
  @Test func saveToPersonaIsRefusedWithTheError() throws {
    let f = try AppFixture()
    let before = try f.read("personas.toml")
    try f.write("ai_settings.toml", "persona = \"Worker\"\n[overrides]\ntemperature = 1.8\n")
    var app = DramatisApp(workspace: f.load())
    press(&app, String(repeating: "Tab ", count: 9) + "Enter")
    #expect(app.ai.confirm != nil, "\(lines(&app).joined(separator: "\n"))")
    press(&app, "Enter")
    #expect(
      app.message.contains("not saved") && app.message.contains("1.8 is outside anthropic's range"), "\(app.message)")
    #expect(try f.read("personas.toml") == before)
  }

  /// Changing the provider in AI Settings brings a model of that provider, as in the editor.
  @Test func aProviderChangeMovesTheModelInBothSurfaces() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Enter openai Enter")
    let model = try #require(app.config.aiSettings.overrides["model"]?.stringValue)
    #expect(app.config.providers["openai"]!.models.contains(model))
    #expect(!Validator.validate(f.load()).contains { $0.file.hasSuffix("ai_settings.toml") })
    // The editor: Worker's provider to openai.
    press(&app, "F5")
    let providerTab = String(repeating: "Tab ", count: PersonaEditor.order.firstIndex(of: "provider")!)
    press(&app, "\(providerTab)Enter openai Enter")
    let persona = try #require(try app.editor?.build(app.config).get())
    #expect(app.config.providers["openai"]!.models.contains(persona.preferredModels[0].model ?? ""))
  }

  /// One syntax error in personas.toml: a line on every screen names the file and its place, and
  /// the editor says its list is unavailable instead of showing no personas.
  @Test func aBrokenFileIsNamedOnEveryScreen() throws {
    let f = try AppFixture()
    try f.write("personas.toml", try f.read("personas.toml") + "\n[personas.broken\n")
    var app = DramatisApp(workspace: f.load())
    for screen in ["F2", "F3", "F4"] {
      press(&app, screen)
      let first = lines(&app, 100, 30)[0]
      #expect(first.contains("⚠ personas.toml:") && first.contains("does not parse"), "\(screen): \(first)")
    }
    press(&app, "F5")
    let editor = lines(&app, 120, 40).joined(separator: "\n")
    #expect(editor.contains("Personas (unavailable)"))
    #expect(editor.contains("Unavailable until"))
  }

  /// A hand-edited or corrupt stream log never traps the dashboard.
  @Test func anyNumberInALogIsShownNotTrapped() throws {
    let f = try AppFixture()
    let dir = f.root.appendingPathComponent("logs/auth")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try
      (#"{"ts":"2026-11-25T14:02:11.532Z","event":"worker_start","ticket":"T-001","retry":1e19}"# + "\n"
      + #"{"event":"worker_start","ticket":"T-002","retry":-1e308,"persona":7}"# + "\n")
      .write(to: dir.appendingPathComponent("tier3.jsonl"), atomically: true, encoding: .utf8)
    var app = DramatisApp(workspace: f.load())
    press(&app, "F3 Tab Tab")
    let shown = lines(&app)
    #expect(
      shown.contains { $0.contains("T-001 start") && $0.contains("retry 1e+19") }, "\(shown.joined(separator: "\n"))")
    #expect(
      StreamLog.line(for: .object([("event", .string("worker_start")), ("retry", .number(.nan))])).contains("retry"))
  }
}
