import Foundation
import PersonaKit
import TermUI
import Testing

@testable import DramatisApp

/// Two instances on one config, beyond the Persona Editor's save: the ticket form, a tier's
/// assignment, a number typed in AI Settings and a rename never overwrite a change made on disk
/// to the same thing since the edit began; a change to something else in the same file is kept.
@Suite struct SaveConflictTests {
  /// The other instance: its own manager on the same files.
  func other(_ f: AppFixture, _ change: (inout PersonaManager) throws -> Void) throws {
    var m = PersonaManager(f.load())
    try change(&m)
  }

  func changeTicket(_ f: AppFixture, _ id: String, description: String) throws {
    try other(f) { m in
      var t = try #require(m.config.tracks["auth"])
      let i = try #require(t.tickets.firstIndex { $0.id == id })
      t.tickets[i].description = description
      try m.saveTrack(t)
    }
  }

  /// F4, the tickets list, Down to T-002, the description.
  let toDescription = "F4 Tab Down Tab"

  @Test(arguments: [false, true])
  func aTicketChangedOnDiskIsAConflictKeepMineOnlyAfterTheDiff(watcherSawIt: Bool) throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "\(toDescription) End \" (mine)\"")
    try changeTicket(f, "T-002", description: "Theirs")
    // The watcher may have read the file again already (the form keeps the unsaved edit), or not.
    if watcherSawIt { _ = app.tick() }
    #expect(app.tickets.isDirty(app.config))

    press(&app, "C-s")
    #expect(app.message == "not saved: ticket T-002 of track auth was changed on disk since your edit began")
    #expect(lines(&app).contains { $0.contains("ticket T-002 of track auth was changed on disk") })
    #expect(try f.read("tracks/auth.toml").contains("description = \"Theirs\""))
    press(&app, "k")
    #expect(app.message == "see the differences first (v), then k keeps yours")
    #expect(try f.read("tracks/auth.toml").contains("description = \"Theirs\""))
    press(&app, "v")
    let shown = lines(&app)
    #expect(shown.contains { $0.contains("- description = \"Theirs\"") })
    #expect(
      shown.contains { $0.contains("+ description = \"Add a failing test for repeated wrong passwords (mine)\"") })
    press(&app, "k")
    #expect(app.message == "saved your version of ticket T-002 of track auth over the change on disk")
    let text = try f.read("tracks/auth.toml")
    #expect(text.contains("wrong passwords (mine)") && !text.contains("Theirs"))
    #expect(!app.tickets.isDirty(app.config))
  }

  @Test func reloadPutsTheirsIntoTheFormAndEscLeavesTheFormAsItWas() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "\(toDescription) End \" (mine)\"")
    try changeTicket(f, "T-002", description: "Theirs")
    press(&app, "C-s Esc")
    #expect(app.message == "not saved" && app.conflict == nil)
    #expect(app.tickets.isDirty(app.config))
    press(&app, "C-s r")
    #expect(app.message == "reloaded ticket T-002 of track auth from disk: your change was dropped")
    #expect(!app.tickets.isDirty(app.config))
    #expect(lines(&app).contains { $0.contains("Description") && $0.contains("Theirs") })
    #expect(try f.read("tracks/auth.toml").contains("description = \"Theirs\""))
  }

  @Test func aChangeToAnotherTicketOfTheTrackIsKept() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "\(toDescription) End \" (mine)\"")
    try changeTicket(f, "T-003", description: "Theirs, on T-003")
    press(&app, "C-s")
    #expect(app.conflict == nil)
    #expect(app.message == "saved T-002 to tracks/auth.toml")
    let text = try f.read("tracks/auth.toml")
    #expect(text.contains("wrong passwords (mine)") && text.contains("Theirs, on T-003"))
  }

  @Test func aCleanTicketFormFollowsTheChangeOnDisk() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, toDescription)
    _ = lines(&app)
    try changeTicket(f, "T-002", description: "Theirs")
    _ = app.tick()
    #expect(lines(&app).contains { $0.contains("Description") && $0.contains("Theirs") })
    #expect(!app.tickets.isDirty(app.config))
  }

  @Test func aTierChangedOnDiskWhileItsDropdownWasOpenIsAConflict() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F3 Tab Tab Enter")  // tier 3's dropdown, open
    try other(f) { try $0.assignTier(3, persona: "Tech Lead") }
    _ = app.tick()
    press(&app, "Security Enter")
    #expect(app.message == "not saved: tier 3 was changed on disk since your edit began")
    #expect(try f.read("mma.toml").contains("tier3 = \"Tech Lead\""))
    press(&app, "v")
    let shown = lines(&app)
    #expect(shown.contains { $0.contains("- tier3 = \"Tech Lead\"") })
    #expect(shown.contains { $0.contains("+ tier3 = \"Security Reviewer\"") })
    press(&app, "k")
    #expect(try f.read("mma.toml").contains("tier3 = \"Security Reviewer\""))
  }

  @Test func aTierChoiceKeepsAChangeToAnotherTier() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F3 Tab Tab Enter")
    try other(f) { try $0.assignTier(1, persona: "Tech Lead") }  // not seen by the watcher yet
    press(&app, "Security Enter")
    #expect(app.conflict == nil)
    #expect(app.message == "tier 3: Security Reviewer saved to mma.toml")
    let text = try f.read("mma.toml")
    #expect(text.contains("tier1 = \"Tech Lead\"") && text.contains("tier3 = \"Security Reviewer\""))
  }

  @Test func aNumberTypedOverAChangeOnDiskIsAConflictAndAnotherFieldsChangeIsKept() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Tab Tab C-u \"0.7\"")
    try other(f) { m in
      var s = m.config.aiSettings
      s.overrides["temperature"] = .float(0.9)
      try m.saveAISettings(s)
    }
    press(&app, "Enter")
    #expect(app.message == "not saved: Temperature in AI Settings was changed on disk since your edit began")
    #expect(try f.read("ai_settings.toml").contains("temperature = 0.9"))
    // An ssh drop now: the typed number waiting in the dialog is kept as a draft.
    app.terminate(signal: SIGHUP)
    #expect(AINumberDraft.read(f.load().paths)?.text == "0.7")
    AINumberDraft.discard(f.load().paths)
    press(&app, "r")
    #expect(app.ai.editing == nil)
    #expect(lines(&app).contains { $0.contains("Temperature") && $0.contains("0.9") })

    // Typing again; meanwhile top_p changes on disk: both are kept.
    press(&app, "C-u \"0.3\"")
    try other(f) { m in
      var s = m.config.aiSettings
      s.overrides["top_p"] = .float(0.5)
      try m.saveAISettings(s)
    }
    _ = app.tick()
    press(&app, "Enter")
    #expect(app.conflict == nil)
    let text = try f.read("ai_settings.toml")
    #expect(text.contains("temperature = 0.3") && text.contains("top_p = 0.5"), "\(text)")
  }

  @Test func aRenameOverAChangeToThePersonaAsksAndAChangeElsewhereIsReadAgain() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    // Worker → Builder in the editor (Ctrl-S asks to rename; Enter confirms).
    press(&app, "F5 Tab C-u \"Builder\" C-s")
    try other(f) { m in
      var p = try #require(m.config.personas["Worker"])
      p.description = "Theirs"
      try m.update(p, .persona)
    }
    press(&app, "Enter")
    #expect(app.message == "not saved: persona Worker was changed on disk since you opened it")
    #expect(try f.read("personas.toml").contains("[personas.Worker]"))
    press(&app, "Esc")

    // The other instance assigns Worker to tier 1 (not seen yet): the rename reads the files
    // again and updates that reference too.
    let g = try AppFixture()
    var app2 = DramatisApp(workspace: g.load())
    press(&app2, "F5 Tab C-u \"Builder\" C-s")
    try other(g) { try $0.assignTier(1, persona: "Worker") }
    press(&app2, "Enter")
    #expect(app2.message.hasPrefix("renamed Worker to Builder"), "\(app2.message)")
    let mma = try g.read("mma.toml")
    #expect(mma.contains("tier1 = \"Builder\"") && mma.contains("tier3 = \"Builder\"") && !mma.contains("Worker"))
  }
}

/// "Save to persona" lists the changes it will make; when the persona changes on disk while the
/// list is shown, Enter shows the new list instead of writing over the change.
@Suite struct SaveToPersonaConflictTests {
  @Test func aChangeOnDiskWhileTheListIsShownIsShownAgainBeforeWriting() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    for k in Key.script("Tab Tab Tab C-u \"0.5\" Tab Tab Tab Tab Tab Tab Enter") { _ = app.handle(k) }
    #expect(app.ai.confirm?.map(\.description) == ["Temperature: 0.2 → 0.5"])
    var other = PersonaManager(f.load())
    var p = try #require(other.config.personas["Worker"])
    p.preferredModels[0].temperature = 0.3
    try other.update(p, .persona)
    _ = app.tick()
    _ = app.handle(.enter)
    #expect(app.message == "the persona changed on disk: check the changes again")
    #expect(app.ai.confirm?.map(\.description) == ["Temperature: 0.3 → 0.5"])
    #expect(try f.read("personas.toml").contains("temperature = 0.3"))
    _ = app.handle(.enter)
    #expect(try f.read("personas.toml").contains("model = \"claude-sonnet-4-5\", temperature = 0.5"))
  }
}

/// Deleting a persona that was changed elsewhere since it was opened shows the change first.
@Suite struct DeleteConflictTests {
  @Test func aPersonaChangedOnDiskIsShownBeforeItCanBeDeleted() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    // The editor opens on Worker (the bound persona); Shift-Tab from the list is the Delete
    // button, Enter asks.
    for k in Key.script("F5 S-Tab Enter") { _ = app.handle(k) }
    #expect(app.editor?.dialog != nil)
    var other = PersonaManager(f.load())
    var p = try #require(other.config.personas["Worker"])
    p.description = "Theirs"
    try other.update(p, .persona)
    _ = app.tick()
    _ = app.handle(.enter)
    #expect(app.message == "not deleted: Worker was changed on disk since you opened it; it is shown now")
    #expect(try f.read("personas.toml").contains("[personas.Worker]"))
    #expect(app.editor?.draft.description.text == "Theirs")
    // Seen: now it can go.
    for k in Key.script("Enter Enter") { _ = app.handle(k) }
    #expect(!(try f.read("personas.toml").contains("[personas.Worker]")))
  }
}
