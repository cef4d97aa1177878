import Foundation
import PersonaKit
import SnapshotTesting
import TermUI
import Testing

@testable import DramatisApp

/// The floating Persona Editor, driven by key scripts and checked on the screen and on disk.
@Suite struct PersonaEditorTests {
  func screen(_ app: inout DramatisApp, _ w: Int = 100, _ h: Int = 34) -> [String] {
    RunLoop.frame(&app, width: w, height: h, theme: .color).textLines
  }

  /// Tab from the list to a form field (by its place in the focus order).
  func to(_ field: String) -> String {
    let n = PersonaEditor.order.firstIndex(of: field)!
    return Array(repeating: "Tab", count: n).joined(separator: " ")
  }

  @Test func opensOverTheScreenWithTheFocusOnTheListAndClosesBackToIt() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "Tab Tab")
    let focusBefore = app.ai.focus.current
    press(&app, "F5")
    #expect(app.isEditorOpen)
    #expect(screen(&app).contains { $0.contains("Persona Editor — Worker") })
    press(&app, "Down")  // the list has the focus: the selection moves
    #expect(screen(&app).contains { $0.contains("Persona Editor — QA Analyst") })
    press(&app, "Esc")
    #expect(!app.isEditorOpen)
    #expect(app.ai.focus.current == focusBefore)
  }

  @Test func editingAndSavingUpdatesTheFileAndTheBoundPanel() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 \(to("temperature")) C-u \"0.45\" C-s")
    #expect(try f.read("personas.toml").contains("model = \"claude-sonnet-4-5\", temperature = 0.45"))
    press(&app, "Esc")
    // Live Binding: the AI Settings panel is bound to Worker and follows at once.
    #expect(screen(&app, 80, 24).contains { $0.contains("Temperature") && $0.contains("0.45") })
  }

  @Test func jsonFieldsAreCheckedWhenLeavingThemAndNothingInvalidIsSaved() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    let before = try f.read("personas.toml")
    // Replace the tier overrides `{}` with broken JSON: a parse error with line and column.
    press(&app, "F5 \(to("tiers")) End BSpace BSpace")
    _ = app.handle(.paste("{ \"tier3\": [1,] }"))
    press(&app, "Tab")
    #expect(screen(&app).contains { $0.contains("✗ line 1, column 15: unexpected ']'") })
    press(&app, "C-s")
    #expect(try f.read("personas.toml") == before)
    #expect(screen(&app).last?.contains("not saved: line 1, column 15") == true)
    // A schema error names the key.
    func replaceTiers(_ text: String) {
      press(&app, "S-Tab End")
      for _ in 0..<30 { press(&app, "BSpace") }
      _ = app.handle(.paste(text))
      press(&app, "Tab")
    }
    replaceTiers("{\"tier9\": {}}")
    #expect(screen(&app).contains { $0.contains("✗ tier9: unknown tier key") })
    replaceTiers("{\"tier4\": {\"model\": 3}}")
    #expect(screen(&app).contains { $0.contains("✗ tier4.model: expected a string") })
    press(&app, "C-s")
    #expect(try f.read("personas.toml") == before)
    // Valid again: saved, with the override in the file.
    replaceTiers("{\"tier4\": {\"model\": \"claude-haiku-4-5\"}}")
    #expect(!screen(&app).contains { $0.contains("✗") })
    press(&app, "C-s")
    #expect(try f.read("personas.toml").contains("tier4 = { model = \"claude-haiku-4-5\" }"))
  }

  /// Worker with a key this program does not know in a fallback model and in a tier override, and
  /// a fallback temperature of the wrong type.
  func workerWithUnknownKeys() throws -> AppFixture {
    let f = try AppFixture()
    var text = try f.read("personas.toml")
    for (old, new) in [
      (
        "{ provider = \"openai\", model = \"gpt-5\", temperature = 0.2, top_p = 0.9 }",
        "{ provider = \"openai\", model = \"gpt-5\", temperature = 0.2, top_p = 0.9, region = \"eu\" }"
      ),
      (
        "{ provider = \"gemini\", model = \"gemini-2.5-pro\", temperature = 0.3 },\n]\n\n[personas.\"QA",
        "{ provider = \"gemini\", model = \"gemini-2.5-pro\", temperature = \"0.3\" },\n]\n"
          + "tier_assignments = { tier4 = { model = \"claude-haiku-4-5\", region = \"us\" } }\n\n[personas.\"QA"
      ),
    ] {
      #expect(text.contains(old))
      text = text.replacingOccurrences(of: old, with: new)
    }
    try f.write("personas.toml", text)
    return f
  }

  @Test func keysTheFormCannotShowExactlySurviveASaveAndAreKeptWhenTheFieldIsEdited() throws {
    let f = try workerWithUnknownKeys()
    var app = DramatisApp(workspace: f.load())
    // Another field changed, the JSON fields untouched (the wrong type is shown there as it is):
    // saved, and the file keeps what it had.
    press(&app, "F5 \(to("description")) \"!\" C-s")
    #expect(screen(&app).last?.contains("saved persona Worker") == true)
    var text = try f.read("personas.toml")
    #expect(text.contains("Tier 3: implements one ticket!"))
    #expect(text.contains("top_p = 0.9, region = \"eu\" }"))
    #expect(text.contains("temperature = \"0.3\" }"))
    #expect(text.contains("tier4 = { model = \"claude-haiku-4-5\", region = \"us\" }"))
    // Tabbing through the JSON fields reports nothing: they say what the file says.
    press(&app, "\(to("preferred")) Tab Tab")
    #expect(!screen(&app).contains { $0.contains("✗") })

    // The fallback field edited: the file's unknown key is accepted with its new value; the
    // wrong type, now part of an edit, is refused until it is mended.
    press(&app, "Esc F5 \(to("preferred")) Down End Left Left Left BSpace BSpace \"nl\" Tab")
    #expect(screen(&app, 160).contains { $0.contains("✗ [1].temperature: expected a number, found a string") })
    press(&app, "C-s")
    #expect(try f.read("personas.toml") == text)
    press(&app, "BTab Down End Left BSpace Left Left Left BSpace Tab C-s")
    #expect(!screen(&app).contains { $0.contains("✗") })
    #expect(screen(&app).last?.contains("saved persona Worker") == true)
    text = try f.read("personas.toml")
    #expect(text.contains("top_p = 0.9, region = \"nl\" }"))
    #expect(text.contains("model = \"gemini-2.5-pro\", temperature = 0.3 }"))

    // A key the file does not have is refused (a typo of a known one, or of region).
    press(&app, "BTab Down Home Right Right Right")  // the save loaded the form: row 0, column 0
    _ = app.handle(.paste("\"regoin\": \"nl\", "))
    press(&app, "Tab")
    #expect(screen(&app, 160).contains { $0.contains("✗ [0].regoin: unknown key (use provider, model") })
    press(&app, "C-s")
    #expect(try f.read("personas.toml") == text)
  }

  @Test func aNumberBeyondAnIntegerWhileTypedIsClampedNotACrash() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    // The preview builds the persona on every frame, from the text being typed (this trapped).
    press(&app, "F5 \(to("max_output_tokens")) C-u \(String(repeating: "9", count: 30))")
    #expect(screen(&app).contains { $0.contains("Max output tokens " + String(repeating: "9", count: 30)) })
    press(&app, "Tab")
    #expect(screen(&app).contains { $0.contains("clamped to 1000000") })
  }

  @Test func newDuplicateRenameAndDelete() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 C-n C-u \"Docs Writer\" C-s")
    #expect(try f.read("personas.toml").contains("[personas.\"Docs Writer\"]"))
    press(&app, "C-d")
    #expect(try f.read("personas.toml").contains("[personas.\"Docs Writer (copy)\"]"))
    // Rename Worker: the dialog lists the references, Enter updates them.
    app = DramatisApp(workspace: f.load())
    press(&app, "F5 \(to("name")) C-u Builder C-s")
    let dialog = screen(&app)
    #expect(dialog.contains { $0.contains("Rename Worker to Builder?") })
    #expect(dialog.contains { $0.contains("mma.toml tier3") })
    press(&app, "Enter")
    #expect(try f.read("mma.toml").contains("tier3 = \"Builder\""))
    #expect(try f.read("personas.toml").contains("[personas.Builder]"))
    // Delete: in use, so the dialog says by whom; Enter deletes and clears them.
    press(&app, "S-Tab")  // back to the list
    #expect(app.isEditorOpen)
    press(&app, "Home \(to("delete")) Enter")
    let del = screen(&app)
    #expect(del.contains { $0.contains("Delete Orchestrator?") })
    #expect(del.contains { $0.contains("mma.toml tier1") })
    press(&app, "Enter")
    #expect(!(try f.read("personas.toml")).contains("[personas.Orchestrator]"))
    #expect(!(try f.read("mma.toml")).contains("Orchestrator"))
  }

  @Test func closingWithUnsavedChangesAsks() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    let before = try f.read("personas.toml")
    press(&app, "F5 \(to("description")) \"!!\" Esc")
    #expect(app.isEditorOpen)
    #expect(screen(&app).contains { $0.contains("s: save    d: discard    Esc: go back") })
    press(&app, "Esc")  // go back: still editing, the change still there
    #expect(screen(&app).contains { $0.contains("Tier 3: implements one ticket!!") })
    press(&app, "Esc d")
    #expect(!app.isEditorOpen)
    #expect(try f.read("personas.toml") == before)
    // Moving to another persona with unsaved changes asks too; s saves, then moves.
    press(&app, "F5 \(to("description")) \"??\" S-Tab S-Tab Down s")
    #expect(try f.read("personas.toml").contains("Tier 3: implements one ticket??"))
    #expect(screen(&app).contains { $0.contains("Persona Editor — QA Analyst") })
  }

  @Test func ctrlEEditsTheSystemPromptInTheEditor() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    let terminal = MemoryTerminal(width: 100, height: 34, keys: Key.script("F5 \(to("prompt")) C-e C-s"))
    terminal.editor = { path in
      try? "Written in $EDITOR.\nSecond line.\n".write(toFile: path, atomically: true, encoding: .utf8)
    }
    RunLoop.run(&app, on: terminal, theme: .color)
    #expect(try f.read("personas.toml").contains("system_prompt = \"\"\"\nWritten in $EDITOR.\nSecond line.\"\"\""))
  }

  @Test func snapshots() throws {
    let f = try AppFixture(name: "dramatis-snapshot-editor")
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5")
    assertSnapshot(of: RunLoop.frame(&app, width: 120, height: 40, theme: .color), as: .buffer, named: "120x40")
    assertSnapshot(of: RunLoop.frame(&app, width: 80, height: 24, theme: .color), as: .buffer, named: "80x24-scrolls")
    press(&app, "\(to("provider")) Enter")
    assertSnapshot(of: RunLoop.frame(&app, width: 100, height: 34, theme: .color), as: .buffer, named: "dropdown")
    press(&app, "Esc \(String(repeating: "Tab ", count: 10)) \"x\" Tab")
    assertSnapshot(of: RunLoop.frame(&app, width: 100, height: 34, theme: .color), as: .buffer, named: "json-error")
  }
}

/// Two instances on one config: a save over a change made elsewhere is refused with reload /
/// show diff / keep mine (keep mine only after the diff was shown); a change to another entry is
/// kept and the save goes through.
@Suite struct EditConflictTests {
  /// The other instance: its own manager on the same files.
  func otherInstance(_ f: AppFixture, _ change: (inout Persona) -> Void, persona: String) throws {
    var other = PersonaManager(f.load())
    var p = try #require(other.config.personas[persona])
    change(&p)
    try other.update(p, .persona)
  }

  @Test func aSaveOverAChangeMadeElsewhereAsksAndKeepsMineOnlyAfterTheDiff() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 Tab Tab End \" (mine)\"")  // Worker's description, in the editor
    try otherInstance(f, { $0.description = "Tier 3 worker (theirs)" }, persona: "Worker")

    press(&app, "C-s")
    var shown = lines(&app)
    #expect(shown.contains { $0.contains("Worker was changed on disk (another Dramatis, or an editor)") })
    #expect(app.message == "not saved: persona Worker was changed on disk since you opened it")
    #expect(try f.read("personas.toml").contains("Tier 3 worker (theirs)"))

    press(&app, "k")  // not before the diff
    #expect(app.message == "see the differences first (v), then k keeps yours")
    #expect(try f.read("personas.toml").contains("Tier 3 worker (theirs)"))

    press(&app, "v")
    shown = lines(&app)
    #expect(shown.contains { $0.contains("- description = \"Tier 3 worker (theirs)\"") })
    #expect(shown.contains { $0.contains("+ description = \"Tier 3: implements one ticket (mine)\"") })

    press(&app, "k")
    #expect(app.message == "saved your version of Worker over the change on disk")
    let text = try f.read("personas.toml")
    #expect(text.contains("Tier 3: implements one ticket (mine)") && !text.contains("(theirs)"))
  }

  @Test func reloadTakesTheirsAndDropsMine() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 Tab Tab End \" (mine)\"")
    try otherInstance(f, { $0.description = "Tier 3 worker (theirs)" }, persona: "Worker")
    press(&app, "C-s r")
    #expect(app.message == "reloaded Worker from disk: your changes were dropped")
    #expect(lines(&app).contains { $0.contains("Tier 3 worker (theirs)") })
    #expect(try f.read("personas.toml").contains("(theirs)"))
    #expect(!(try f.read("personas.toml").contains("(mine)")))
  }

  @Test func aChangeToAnotherPersonaIsKeptAndTheSaveGoesThrough() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 Tab Tab End \" (mine)\"")
    try otherInstance(f, { $0.description = "QA (theirs)" }, persona: "QA Analyst")
    press(&app, "C-s")
    #expect(app.message == "saved persona Worker")
    let text = try f.read("personas.toml")
    #expect(text.contains("Tier 3: implements one ticket (mine)") && text.contains("QA (theirs)"))
  }
}

@Suite struct LineDiffTests {
  @Test func removedLinesComeBeforeAddedOnesAndCommonLinesAreLeftOut() {
    let d = PersonaEditor.diff(["a", "b", "c", "d"], ["a", "x", "c", "d", "e"])
    #expect(d == ["- b", "+ x", "+ e"])
    #expect(PersonaEditor.diff([], ["a"]) == ["+ a"])
    #expect(PersonaEditor.diff(["a"], []) == ["- a"])
    #expect(PersonaEditor.diff(["same"], ["same"]).isEmpty)
  }
}
