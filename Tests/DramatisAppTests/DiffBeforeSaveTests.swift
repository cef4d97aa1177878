import Foundation
import PersonaKit
import TermUI
import Testing

@testable import DramatisApp

/// F7: a save shows the lines it changes in the files first; Enter writes them, Esc writes
/// nothing and keeps the edit. Off until asked for.
@Suite struct DiffBeforeSaveTests {
  @Test func offByDefaultTheEditorSavesAtOnce() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 Tab Tab \" x\" C-s")
    #expect(app.message == "saved persona Worker", "\(app.message)")
    #expect(try f.read("personas.toml").contains("one ticket x\""))
  }

  @Test func theEditorShowsTheFileLinesThenEnterSavesAndEscKeepsTheEdit() throws {
    let f = try AppFixture()
    let before = try f.read("personas.toml")
    var app = DramatisApp(workspace: f.load())
    press(&app, "F7")
    #expect(app.message.hasPrefix("diff before save: on"))
    press(&app, "F5 Tab Tab \" x\" C-s")
    var shown = lines(&app).joined(separator: "\n")
    #expect(shown.contains("Save: what changes on disk"), "\(shown)")
    #expect(shown.contains("--- \(f.root.path)/personas.toml"), "\(shown)")
    #expect(shown.contains("- description = \"Tier 3: implements one ticket\""), "\(shown)")
    #expect(shown.contains("+ description = \"Tier 3: implements one ticket x\""), "\(shown)")
    #expect(try f.read("personas.toml") == before)
    // Esc: nothing written, the form still modified; Ctrl-S again, Enter writes.
    press(&app, "Esc")
    #expect(app.message.hasPrefix("not saved"), "\(app.message)")
    #expect(try f.read("personas.toml") == before)
    #expect(app.editor?.isDirty(app.config) == true)
    press(&app, "C-s Enter")
    #expect(app.message == "saved persona Worker", "\(app.message)")
    let after = try f.read("personas.toml")
    #expect(LineDiff.lines(textLines(before), textLines(after)).count == 2)
    // F7 again: off.
    press(&app, "F7")
    #expect(app.message == "diff before save: off")
  }

  @Test func aRenameShowsEveryFileItChanges() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F7 F5 Tab C-u \"Builder\" C-s Enter")
    let shown = lines(&app, 120, 50).joined(separator: "\n")
    #expect(shown.contains("--- \(f.root.path)/personas.toml"), "\(shown)")
    #expect(shown.contains("--- \(f.root.path)/mma.toml"), "\(shown)")
    #expect(shown.contains("+ tier3 = \"Builder\""), "\(shown)")
    #expect(!(try f.read("mma.toml")).contains("Builder"))
    press(&app, "Enter")
    #expect(app.message.hasPrefix("renamed Worker to Builder"), "\(app.message)")
    #expect(try f.read("mma.toml").contains("tier3 = \"Builder\""))
  }

  @Test func theTicketFormAndAISettingsShowTheirFilesToo() throws {
    let f = try AppFixture()
    let track = try f.read("tracks/auth.toml")
    let settings = try f.read("ai_settings.toml")
    var app = DramatisApp(workspace: f.load())
    press(&app, "F7 F4 Tab Tab \"Now: \" C-s")
    var shown = lines(&app).joined(separator: "\n")
    #expect(shown.contains("--- \(f.root.path)/tracks/auth.toml"), "\(shown)")
    #expect(shown.contains("+ description = \"Now: Map the current login endpoint"), "\(shown)")
    #expect(try f.read("tracks/auth.toml") == track)
    press(&app, "Enter")
    #expect(try f.read("tracks/auth.toml").contains("\"Now: Map the current"))
    #expect(app.tickets.isDirty(app.config) == false)

    // AI Settings: another persona is one line of ai_settings.toml; Esc leaves the file alone.
    press(&app, "F2 Enter Down Enter")
    shown = lines(&app).joined(separator: "\n")
    #expect(shown.contains("- persona = \"Worker\"") && shown.contains("+ persona = \"Orchestrator\""), "\(shown)")
    press(&app, "Esc")
    #expect(try f.read("ai_settings.toml") == settings)
    #expect(app.config.aiSettings.personaID == "Worker")
    press(&app, "Enter Down Enter Enter")
    #expect(app.config.aiSettings.personaID != "Worker")
    #expect(try f.read("ai_settings.toml") != settings)
  }

  @Test func aPreviewWritesNothingAndSaysWhenNoByteWouldChange() throws {
    let f = try AppFixture()
    let manager = PersonaManager(f.load())
    let worker = try #require(manager.config.personas["Worker"])
    let same = SavePreview.of(manager) { (m: inout PersonaManager) throws(ConfigError) in try m.update(worker, .persona)
    }
    guard case .failure(let refusal) = same else { Issue.record("expected nothing to save"); return }
    #expect(refusal.message == "nothing to save: no file would change")
    // A change of two saves (the persona, then the panel) is seen whole, each file once.
    var renamed = worker
    renamed.description = "changed first"
    let files = manager.preview { (m: inout PersonaManager) throws(ConfigError) in
      try m.update(renamed, .persona)
      try m.rename(.persona, "Worker", to: "Builder")
    }
    let changed = try files.get()
    #expect(
      changed.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted() == [
        "ai_settings.toml", "mma.toml", "personas.toml",
      ])
    let personas = try #require(changed.first { $0.path.hasSuffix("personas.toml") })
    #expect(personas.before == (try f.read("personas.toml")))
    #expect(personas.after.contains("[personas.Builder]") && personas.after.contains("description = \"changed first\""))
    #expect(!(try f.read("personas.toml")).contains("Builder"))
    #expect(History.entries(f.paths).isEmpty)
    // A refused change says why.
    let refused = SavePreview.of(manager) { (m: inout PersonaManager) throws(ConfigError) in
      try m.create(Persona(name: "Worker"), .persona, scope: .global)
    }
    guard case .failure(let why) = refused else { Issue.record("expected a refusal"); return }
    #expect(why.message.contains("Worker"), "\(why.message)")
  }

  func textLines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}
