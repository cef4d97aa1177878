import Foundation
import PersonaKit
import TermUI
import Testing

@testable import DramatisApp

/// Unsaved edits at SIGHUP/SIGTERM go to drafts/ and are offered at the next start.
@Suite struct DraftTests {
  @Test func aDraftIsWrittenAtTheSignalAndRestoredOnlyWhenAsked() throws {
    let f = try AppFixture()
    let before = try f.read("personas.toml")
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 Tab Tab End \" (draft)\"")
    app.terminate(signal: SIGHUP)
    #expect(FileManager.default.fileExists(atPath: f.root.appendingPathComponent("drafts/persona-editor.toml").path))
    #expect(try f.read("personas.toml") == before)  // a draft never overwrites a file by itself

    var next = DramatisApp(workspace: f.load())
    #expect(lines(&next).contains { $0.contains("Unsaved changes to persona Worker") })
    press(&next, "r")
    #expect(next.isEditorOpen)
    #expect(lines(&next).contains { $0.contains("Tier 3: implements one ticket (draft)") })
    #expect(lines(&next).contains { $0.contains("Persona Editor — Worker (modified)") })
    #expect(try f.read("personas.toml") == before)
    press(&next, "C-s")
    #expect(try f.read("personas.toml").contains("description = \"Tier 3: implements one ticket (draft)\""))
    #expect(!FileManager.default.fileExists(atPath: f.root.appendingPathComponent("drafts/persona-editor.toml").path))
  }

  @Test func discardingADraftRemovesIt() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 C-n C-u Brand-new")
    app.terminate(signal: SIGTERM)
    var next = DramatisApp(workspace: f.load())
    #expect(lines(&next).contains { $0.contains("Unsaved changes to persona Brand-new") })
    press(&next, "d")
    #expect(!next.isEditorOpen)
    #expect(DramatisApp(workspace: f.load()).pendingDraft == nil)
  }

  @Test func nothingUnsavedWritesNoDraft() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5")
    app.terminate(signal: SIGHUP)
    #expect(!FileManager.default.fileExists(atPath: f.root.appendingPathComponent("drafts").path))
  }
}

/// The ticket form's unsaved edits are kept the same way.
@Suite struct TicketDraftTests {
  /// F4, the tickets list, then Tab to the description (the order of `TicketEditor.order`).
  let toDescription = "F4 Tab Down Tab"

  @Test func aTicketDraftIsWrittenAtTheSignalAndRestoredIntoTheFormOnlyWhenAsked() throws {
    let f = try AppFixture()
    let before = try f.read("tracks/auth.toml")
    var app = DramatisApp(workspace: f.load())
    press(&app, "\(toDescription) End \" (draft)\"")
    #expect(app.tickets.editingID == "T-002")
    app.terminate(signal: SIGHUP)
    let file = f.root.appendingPathComponent("drafts/ticket-editor.toml").path
    #expect(FileManager.default.fileExists(atPath: file))
    #expect(try f.read("tracks/auth.toml") == before)  // never written by the draft

    var next = DramatisApp(workspace: f.load())
    #expect(lines(&next).contains { $0.contains("Unsaved changes to ticket T-002 of track auth") })
    press(&next, "r")
    #expect(next.screen == .tickets)
    #expect(next.tickets.editingID == "T-002")
    #expect(next.tickets.isDirty(next.config))
    let shown = lines(&next)
    #expect(shown.contains { $0.contains("Description") && $0.contains("Add a failing test") }, "\(shown)")
    #expect(try f.read("tracks/auth.toml") == before)
    #expect(!FileManager.default.fileExists(atPath: file))
    press(&next, "C-s")
    #expect(try f.read("tracks/auth.toml").contains("Add a failing test for repeated wrong passwords (draft)"))
  }

  @Test func aCleanFormLeavesNoDraftAndADiscardedOneIsGone() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, toDescription)
    app.terminate(signal: SIGTERM)
    let file = f.root.appendingPathComponent("drafts/ticket-editor.toml").path
    #expect(!FileManager.default.fileExists(atPath: file))

    press(&app, "End \"x\"")
    app.terminate(signal: SIGTERM)
    #expect(FileManager.default.fileExists(atPath: file))
    var next = DramatisApp(workspace: f.load())
    press(&next, "d")
    #expect(!FileManager.default.fileExists(atPath: file))
    #expect(next.message == "draft discarded")
    #expect(!next.tickets.isDirty(next.config))
  }
}

/// A number typed in AI Settings and not yet set is kept the same way.
@Suite struct AINumberDraftTests {
  @Test func aTypedNumberIsKeptAtTheSignalAndSetOnlyWhenTheUserCommitsIt() throws {
    let f = try AppFixture()
    let before = try f.read("ai_settings.toml")
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Tab Tab C-u \"0.7\"")
    #expect(app.unsaved != nil)
    app.terminate(signal: SIGHUP)
    let file = f.root.appendingPathComponent("drafts/ai-settings.toml").path
    #expect(FileManager.default.fileExists(atPath: file))
    #expect(try f.read("ai_settings.toml") == before)

    var next = DramatisApp(workspace: f.load())
    #expect(lines(&next).contains { $0.contains("Unsaved changes to the temperature (\"0.7\") in AI Settings") })
    press(&next, "r")
    #expect(!FileManager.default.fileExists(atPath: file))
    #expect(next.screen == .aiSettings && next.ai.focus.current == "temperature")
    #expect(next.ai.editing == "temperature")
    #expect(lines(&next).contains { $0.contains("Temperature") && $0.contains("0.7") })
    #expect(try f.read("ai_settings.toml") == before)
    press(&next, "Enter")
    #expect(try f.read("ai_settings.toml").contains("temperature = 0.7"))
  }

  @Test func nothingTypedLeavesNoDraftAndADiscardedOneIsGone() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Tab Tab")
    app.terminate(signal: SIGTERM)
    let file = f.root.appendingPathComponent("drafts/ai-settings.toml").path
    #expect(!FileManager.default.fileExists(atPath: file))
    press(&app, "\"5\"")
    app.terminate(signal: SIGTERM)
    #expect(FileManager.default.fileExists(atPath: file))
    var next = DramatisApp(workspace: f.load())
    press(&next, "d")
    #expect(!FileManager.default.fileExists(atPath: file))
    #expect(next.message == "draft discarded" && next.ai.editing == nil)
  }

  @Test func aDraftFileWithAnUnknownFieldOrJunkIsIgnored() throws {
    let f = try AppFixture()
    try FileManager.default.createDirectory(
      at: f.root.appendingPathComponent("drafts"), withIntermediateDirectories: true)
    try f.write(
      "drafts/ai-settings.toml", "[draft]\nkind = \"ai-settings\"\n[number]\nfield = \"rm -rf\"\ntext = \"1\"\n")
    #expect(AINumberDraft.read(f.load().paths) == nil)
    try f.write("drafts/ai-settings.toml", "[draft\n")
    #expect(AINumberDraft.read(f.load().paths) == nil)
    try f.write(
      "drafts/ai-settings.toml", "[draft]\nsaved_at = \"x\"\n[number]\nfield = \"top_p\"\ntext = \"0.5\\u001b[31m\"\n")
    var app = DramatisApp(workspace: f.load())
    press(&app, "r")
    #expect(app.ai.topP.text == "0.531")
  }
}
