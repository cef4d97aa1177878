import DramatisResources
import Foundation
import PersonaKit
import ScaleFixture
import Testing

/// The real binary in a real terminal (tmux): the ncurses backend, key decoding, resize, colour,
/// and the terminal restored however the program ends.
@Suite(.serialized) struct GalleryLiveTests {
  let bin = Tmux.binary

  /// The text `dramatis render` draws for the same screen (the same code path, headless).
  func rendered(_ size: String, keys: String = "") throws -> [String] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = ["render", "gallery", "--size", size, "--keys", keys]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
  }

  /// Compares the terminal's screen with the headless render, row by row. Rows holding an emoji
  /// with VS16 (⌨️) are skipped: terminals disagree on its width (tmux draws it in one column).
  func expectSameScreen(_ live: [String], _ headless: [String], skipping: Set<Int> = []) {
    for (i, row) in headless.enumerated() where i < live.count && !skipping.contains(i) && !row.contains("⌨️") {
      #expect(live[i] == row, "row \(i)")
    }
  }

  func sttyIsSane(_ screen: String) -> Bool {
    let words = screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
    return words.contains("icanon") && words.contains("echo") && !words.contains("-icanon") && !words.contains("-echo")
  }

  @Test func frameAppearsAndMatchesTheHeadlessRender() throws {
    let t = try Tmux()
    defer { t.kill() }
    try t.start("\(bin) gallery", env: ["TERM": "xterm-256color"])
    let s = try t.waitFor("Last key     (none)")
    #expect(s.contains("Dramatis widget gallery"))
    // CJK and emoji land in the columns the widget layer computed.
    expectSameScreen(try t.lines(), try rendered("100x30"))
  }

  @Test func keysArriveAsTheRightKeys() throws {
    let t = try Tmux()
    defer { t.kill() }
    try t.start("\(bin) gallery", env: ["TERM": "xterm-256color"])
    _ = try t.waitFor("Last key")
    let cases: [(String, String)] = [
      ("Down", "Down"), ("Up", "Up"), ("NPage", "PgDn"), ("PPage", "PgUp"), ("End", "End"), ("Home", "Home"),
      ("F2", "F2"), ("F12", "F12"), ("BTab", "S-Tab"), ("Tab", "Tab"), ("C-r", "C-r"), ("Left", "Left"),
    ]
    for (tmuxKey, shown) in cases {
      try t.send(tmuxKey)
      let s = try t.waitFor("Last key     \(shown) ")
      #expect(s.contains("Last key     \(shown) "), "\(tmuxKey) arrived as something else")
    }
    // F5 opens the floating window, Esc closes it (and arrives as Esc, not as Alt).
    try t.send("F5")
    #expect(try t.waitFor("Floating window").contains("Floating window"))
    try t.send("Escape")
    let closed = try t.wait { !$0.contains("Floating window") }
    #expect(!closed.contains("Floating window"))
    #expect(closed.contains("Last key     Esc "))
    // Alt-x: Esc followed at once by x.
    try t.send("M-x")
    #expect(try t.waitFor("Last key     M-x ").contains("M-x"))
  }

  @Test func bracketedPasteArrivesAsOneKeyAndCJKLandsInTheField() throws {
    let t = try Tmux()
    defer { t.kill() }
    try t.start("\(bin) gallery", env: ["TERM": "xterm-256color"])
    _ = try t.waitFor("Last key")
    try t.send("F5")
    _ = try t.waitFor("Floating window")
    try t.paste("pasted\nline 日本")
    let s = try t.waitFor("pasted line 日本")
    #expect(s.contains("pasted line 日本"), "the newline inside the paste must not act as Enter")
    #expect(s.contains("Floating window"))
    try t.type("語")
    #expect(try t.waitFor("pasted line 日本語").contains("日本語"))
    try t.send("Escape")
    #expect(try t.waitFor("Last key     Esc").contains("Esc"))
  }

  /// Waits until the terminal shows exactly what the headless render draws at that size (rows
  /// with ⌨️ aside), and checks it.
  func expectScreenSettles(_ t: Tmux, size: String) throws {
    let expected = try rendered(size)
    func same(_ live: [String]) -> Bool {
      expected.indices.allSatisfy { i in expected[i].contains("⌨️") || (i < live.count && live[i] == expected[i]) }
    }
    _ = try t.wait { _ in (try? same(t.lines())) ?? false }
    expectSameScreen(try t.lines(), expected)
  }

  @Test func resizeAndBackLeavesNoStaleCells() throws {
    let t = try Tmux()
    defer { t.kill() }
    try t.start("\(bin) gallery", env: ["TERM": "xterm-256color"])
    _ = try t.waitFor("Last key")
    try t.send("Tab")  // a field with the focus: its state must survive the resizes
    try t.send("BTab")
    try t.resize(40, 12)
    try expectScreenSettles(t, size: "40x12")
    try t.resize(100, 30)
    // Every cell is repainted: the last-key row names the resize, all others match a fresh render.
    _ = try t.waitFor("resize(100x30)")
    let big = try t.lines()
    let lastKeyRow = big.firstIndex { $0.contains("resize(100x30)") }
    expectSameScreen(big, try rendered("100x30"), skipping: lastKeyRow.map { [$0] } ?? [])
    try t.resize(15, 5)
    #expect(try t.waitFor("too small").contains("too small"))
    try t.resize(80, 24)
    #expect(try t.waitFor("Dramatis widget gallery").contains("gallery"))
  }

  @Test(arguments: ["quit", "TERM", "HUP", "INT"])
  func terminalIsSaneAfterTheProgramEnds(_ how: String) throws {
    let t = try Tmux()
    defer { t.kill() }
    let pidFile = t.dir.appendingPathComponent("pid").path
    try t.start(
      "stty sane; sh -c 'echo $$ > \(pidFile); exec \(bin) gallery'; echo EXIT=$?; stty -a; sleep 60",
      env: ["TERM": "xterm-256color"])
    _ = try t.waitFor("Last key")
    if how == "quit" {
      try t.send("C-q")
    } else {
      let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
      _ = Spawn.run(["/bin/kill", "-\(how)", pid], output: "/dev/null")
    }
    let s = try t.waitFor("EXIT=")
    let expected = ["quit": "EXIT=0", "TERM": "EXIT=143", "HUP": "EXIT=129", "INT": "EXIT=130"][how]!
    #expect(s.contains(expected), "\(s)")
    let after = try t.waitFor("icanon")
    #expect(sttyIsSane(after), "stty after \(how): \(after)")
    #expect(!after.contains("Dramatis widget gallery"), "the screen is given back (alternate screen left)")
  }

  /// SGR parameters of colour (30–37, 40–47, 90–97, 100–107, 38/48 extended) in the output.
  func colourParameters(_ bytes: [UInt8]) -> [Int] {
    var found: [Int] = []
    var i = 0
    while i + 2 < bytes.count {
      if bytes[i] == 0x1B && bytes[i + 1] == UInt8(ascii: "[") {
        var j = i + 2
        while j < bytes.count && (bytes[j] >= 0x30 && bytes[j] <= 0x3F) { j += 1 }
        if j < bytes.count && bytes[j] == UInt8(ascii: "m") {
          let params = String(decoding: bytes[(i + 2)..<j], as: UTF8.self).split(separator: ";").compactMap { Int($0) }
          for p in params
          where (30...38).contains(p) || (40...48).contains(p) || (90...97).contains(p) || (100...107).contains(p) {
            found.append(p)
          }
        }
        i = j
      } else {
        i += 1
      }
    }
    return found
  }

  @Test(arguments: [true, false])
  func noColorMeansNoColourEscapes(_ noColor: Bool) throws {
    let t = try Tmux()
    defer { t.kill() }
    let out = t.dir.appendingPathComponent("out.bin")
    // NO_COLOR is set either way: the test runner's own environment may hold it.
    let env = ["TERM": "xterm-256color", "NO_COLOR": noColor ? "1" : ""]
    try t.start("read go; exec \(bin) gallery", env: env)
    try t.recordOutput(to: out)
    try t.send("Enter")
    _ = try t.waitFor("Last key")
    try t.send("Down")
    try t.send("F5")
    _ = try t.waitFor("Floating window")
    try t.send("C-q")
    _ = try t.wait { !$0.contains("Floating window") }
    usleep(200_000)
    let bytes = [UInt8]((try? Data(contentsOf: out)) ?? Data())
    #expect(bytes.count > 500)
    if noColor {
      #expect(colourParameters(bytes).isEmpty, "colour escapes with NO_COLOR: \(colourParameters(bytes).prefix(10))")
    } else {
      #expect(
        !colourParameters(bytes).isEmpty,
        "the colour theme must use colour (else this check proves nothing): \(String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription)"
      )
    }
  }

  @Test(arguments: [
    ("nonexistent", "unknown terminal type \"nonexistent\""), ("dumb", "terminal type \"dumb\" cannot position"),
  ])
  func unusableTermIsAClearErrorAndLeavesTheTerminalAlone(_ term: String, _ message: String) throws {
    let t = try Tmux()
    defer { t.kill() }
    try t.start("TERM=\(term) \(bin) gallery; echo EXIT=$?; stty -a; sleep 60", width: 150)
    let s = try t.waitFor("EXIT=")
    #expect(s.contains(message))
    #expect(s.contains("EXIT=1"))
    #expect(sttyIsSane(try t.waitFor("icanon")))
  }

  @Test(arguments: ["vt100", "linux", "screen-256color", "tmux-256color"])
  func otherTerminalTypesWork(_ term: String) throws {
    let t = try Tmux()
    defer { t.kill() }
    try t.start("TERM=\(term) \(bin) gallery; echo EXIT=$?; sleep 60")
    #expect(try t.waitFor("Last key     (none)").contains("Dramatis widget gallery"))
    try t.send("Down")
    #expect(try t.waitFor("Last key     Down").contains("Down"))
    try t.send("C-q")
    #expect(try t.waitFor("EXIT=0").contains("EXIT=0"))
  }
}

/// The app itself in a real terminal: create a persona in the floating editor, see Live Binding
/// follow, quit; then the files hold exactly that and the terminal is sane.
@Suite(.serialized) struct AppLiveTests {
  @Test func createAPersonaInTheEditorThenQuit() throws {
    let t = try Tmux()
    defer { t.kill() }
    let config = t.dir.appendingPathComponent("config")
    try t.start(
      "\(Tmux.binary) --config-dir \(config.path); echo EXIT=$?; stty -a; sleep 60", width: 110, height: 36,
      env: ["TERM": "xterm-256color"])
    _ = try t.waitFor("AI Settings")
    try t.send("F5")
    _ = try t.waitFor("Persona Editor — Worker")
    try t.send("C-n")
    _ = try t.waitFor("New persona")
    try t.send("C-u")
    try t.type("Live 日本")
    try t.send("Tab")
    try t.type("made in tmux")
    try t.send("C-s")
    #expect(try t.waitFor("saved persona Live 日本").contains("saved persona"))
    // Change Worker's temperature in the editor: the AI Settings panel (bound to Worker) follows.
    try t.send("BTab", "BTab", "Home", "Down", "Down")
    _ = try t.waitFor("Persona Editor — Worker")
    for _ in 0..<5 { try t.send("Tab") }
    try t.send("C-u")
    try t.type("0.33")
    try t.send("C-s")
    _ = try t.waitFor("saved persona Worker")
    try t.send("Escape")
    let panel = try t.wait { !$0.contains("Persona Editor") }
    #expect(panel.contains("0.33"))
    // Assign the new persona to tier 3 on the MMA Dashboard…
    try t.send("F3")
    #expect(try t.waitFor("Tier 3 Worker").contains("Tier 3 Worker"))
    try t.send("Tab", "Tab", "Enter")
    try t.type("Live")
    try t.send("Enter")
    #expect(try t.waitFor("tier 3: Live 日本 saved to mma.toml").contains("tier 3: Live 日本 saved to mma.toml"))
    // …and override it on ticket T-002 in the Ticket editor.
    try t.send("F4")
    #expect(try t.waitFor("6 tickets").contains("6 tickets"))
    try t.send("Tab", "Down")
    #expect(try t.waitFor("ID          T-002").contains("ID          T-002"))
    for _ in 0..<5 { try t.send("Tab") }
    try t.send("Enter")
    try t.type("QA")
    try t.send("Enter", "C-s")
    #expect(try t.waitFor("saved T-002 to tracks/auth.toml").contains("saved T-002 to tracks/auth.toml"))
    try t.send("C-q")
    #expect(try t.waitFor("EXIT=0").contains("EXIT=0"))
    let after = try t.waitFor("icanon")
    #expect(after.contains("icanon") && !after.contains("-icanon") && !after.contains("-echo "))
    let personas = try String(contentsOf: config.appendingPathComponent("personas.toml"), encoding: .utf8)
    #expect(personas.contains("[personas.\"Live 日本\"]\ndescription = \"made in tmux\""))
    #expect(personas.contains("model = \"claude-sonnet-4-5\", temperature = 0.33"))
    let mma = try String(contentsOf: config.appendingPathComponent("mma.toml"), encoding: .utf8)
    #expect(mma.contains("tier3 = \"Live 日本\""))
    let track = try String(contentsOf: config.appendingPathComponent("tracks/auth.toml"), encoding: .utf8)
    #expect(
      track.contains(
        "id = \"T-002\"\ndescription = \"Add a failing test for repeated wrong passwords\"\nstatus = \"todo\"\ntier = 3\ndepends_on = [\"T-001\"]\npersona_id = \"QA Analyst\""
      ))
    // What the conductor would now run: T-001 with the tier's new persona, T-002 with its override.
    let r1 = try Resolver(Workspace.load(ConfigPaths(global: config)).config).resolve(
      tier: nil, track: "auth", ticket: "T-001")
    #expect(r1.personaName == "Live 日本" && r1.source == .tierAssignment)
  }
}

/// Names, descriptions, prompts and ticket text that hold escape sequences, C1 controls or bidi
/// overrides are shown escaped: the bytes that reach the terminal never carry them raw.
@Suite(.serialized) struct InjectionLiveTests {
  @Test func dataWithEscapeSequencesNeverReachesTheTerminalRaw() throws {
    let t = try Tmux()
    defer { t.kill() }
    let config = t.dir.appendingPathComponent("config")
    try Workspace.bootstrap(config, files: DefaultConfigFiles.files)
    let evil = """

      [personas."Evil\\u001b]0;pwned\\u0007"]
      description = "csi\\u001b[2Jdcs\\u001bP1$q\\u001b\\\\ c1\\u009b31m bidi\\u202egnp.exe"
      system_prompt = "osc8 \\u001b]8;;http://x\\u001b\\\\link"
      """
    var personas = try String(contentsOf: config.appendingPathComponent("personas.toml"), encoding: .utf8)
    personas += evil
    try personas.write(to: config.appendingPathComponent("personas.toml"), atomically: true, encoding: .utf8)
    let out = t.dir.appendingPathComponent("out.bin")
    try t.startRecorded(config: config, out: out)
    try t.send("F5")
    _ = try t.waitFor("Persona Editor")
    try t.send("End")  // select the evil persona: name, description and prompt are drawn
    let shown = try t.waitFor("pwned")
    #expect(shown.contains("Evil^[]0;pwned^G"))
    try t.send("C-q")
    _ = try t.wait { !$0.contains("Persona Editor") }
    usleep(200_000)
    let bytes = [UInt8]((try? Data(contentsOf: out)) ?? Data())
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(!text.contains("\u{1B}]0;pwned"), "OSC title sequence reached the terminal")
    #expect(!text.contains("\u{1B}]8;;"), "OSC 8 hyperlink reached the terminal")
    #expect(!text.contains("\u{1B}P1$q"), "DCS reached the terminal")
    #expect(!text.unicodeScalars.contains("\u{9B}"), "C1 CSI reached the terminal")
    #expect(!text.unicodeScalars.contains("\u{202E}"), "bidi override reached the terminal")
    #expect(!bytes.contains(0x07), "BEL reached the terminal")
    #expect(text.contains("Evil^[]0;pwned^G"))
  }
}

/// An ssh drop in the middle of an edit: SIGHUP to the real program, then the next start offers
/// the draft.
@Suite(.serialized) struct DraftLiveTests {
  /// Every signal that ends the process (not only the ssh drop's SIGHUP) restores the terminal —
  /// `stty` sane after it — and keeps the unsaved edit as a draft.
  @Test(arguments: [("QUIT", 131), ("USR1", 138), ("USR2", 140), ("ALRM", 142)])
  func everyEndingSignalRestoresTheTerminalAndKeepsTheDraft(_ name: String, _ code: Int) throws {
    let t = try Tmux()
    defer { t.kill() }
    let config = t.dir.appendingPathComponent("config")
    let pidFile = t.dir.appendingPathComponent("pid").path
    try t.start(
      "sh -c 'echo $$ > \(pidFile); exec \(Tmux.binary) --config-dir \(config.path)'; echo EXIT=$?; "
        + "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 60",
      width: 110, height: 36, env: ["TERM": "xterm-256color"])
    #expect(try t.waitFor("AI Settings").contains("AI Settings"))
    try t.send("F5")
    #expect(try t.waitFor("Persona Editor — Worker").contains("Worker"))
    try t.send("Tab", "Tab", "End")
    try t.type(" (typed before SIG\(name))")
    #expect(try t.waitFor("(modified)").contains("(modified)"))
    let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    _ = Spawn.run(["/bin/kill", "-\(name)", pid], output: "/dev/null")
    let screen = try t.waitFor("EXIT=\(code)")
    #expect(screen.contains("EXIT=\(code)"), "\(screen)")
    let after = try t.waitFor("icanon")
    #expect(after.contains("icanon echo") && !after.contains("-icanon") && !after.contains("-echo"), "\(after)")
    let draft = config.appendingPathComponent("drafts/persona-editor.toml")
    #expect(((try? String(contentsOf: draft, encoding: .utf8)) ?? "").contains("typed before SIG\(name)"))
  }

  @Test func sighupKeepsTheUnsavedEditAsADraft() throws {
    let t = try Tmux()
    defer { t.kill() }
    let config = t.dir.appendingPathComponent("config")
    let pidFile = t.dir.appendingPathComponent("pid").path
    try t.start(
      "sh -c 'echo $$ > \(pidFile); exec \(Tmux.binary) --config-dir \(config.path)'; echo EXIT=$?; sleep 60",
      width: 110, height: 36, env: ["TERM": "xterm-256color"])
    #expect(try t.waitFor("AI Settings").contains("AI Settings"))
    try t.send("F5")
    #expect(try t.waitFor("Persona Editor — Worker").contains("Worker"))
    try t.send("Tab", "Tab", "End")
    try t.type(" (typed before the drop)")
    #expect(try t.waitFor("(modified)").contains("(modified)"))
    let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    _ = Spawn.run(["/bin/kill", "-HUP", pid], output: "/dev/null")
    #expect(try t.waitFor("EXIT=129").contains("EXIT=129"))
    let personas = try String(contentsOf: config.appendingPathComponent("personas.toml"), encoding: .utf8)
    #expect(!personas.contains("typed before the drop"))
    #expect(FileManager.default.fileExists(atPath: config.appendingPathComponent("drafts/persona-editor.toml").path))
    // The next start offers it.
    let t2 = try Tmux()
    defer { t2.kill() }
    try t2.start(
      "\(Tmux.binary) --config-dir \(config.path); sleep 60", width: 110, height: 36, env: ["TERM": "xterm-256color"])
    // Waited for by its last line: tmux may show a frame it has only partly read (seen once in
    // CI under load: the dialog's title without its text).
    #expect(try t2.waitFor("Unsaved changes to persona Worker").contains("Draft found"))
    try t2.send("r")
    #expect(try t2.waitFor("(typed before the drop)").contains("Persona Editor — Worker (modified)"))
  }
}

/// Keys that arrive in a clump (a held key over a laggy ssh link, a paste) do not each cost a
/// frame: while more input waits, the frame is held back and the next replaces it. 150 Downs sent
/// at once to the Persona Editor's list of 400 personas: the screen ends where 150 single Downs
/// end, with a small part of the bytes of one frame per Down (about 150 KB); and a single key
/// after the clump is shown at once (no frame stays held).
@Suite(.serialized) struct ClumpedKeysLiveTests {
  @Test func aClumpOfKeysIsDrawnOnceNotOncePerKey() throws {
    let t = try Tmux()
    defer { t.kill() }
    let config = t.dir.appendingPathComponent("config")
    try ScaleFixture(personas: 400, tickets: 10, presets: 10).write(to: config)
    let out = t.dir.appendingPathComponent("out.bin")
    try t.startRecorded(config: config, out: out)
    try t.send("F5")
    // The editor opens on the bound persona, the second of the list.
    _ = try t.waitFor("Persona Editor — \(ScaleFixture.personaName(1))")
    usleep(300_000)
    let before = ((try? Data(contentsOf: out)) ?? Data()).count
    // One send-keys: tmux writes the 150 keys to the pane in one piece.
    _ = try t.tmux(["send-keys"] + Array(repeating: "Down", count: 150))
    let target = "Persona Editor — \(ScaleFixture.personaName(151))"
    let screen = try t.wait { $0.contains(target) }
    #expect(screen.contains(target), "\(screen)")
    usleep(300_000)
    let bytes = ((try? Data(contentsOf: out)) ?? Data()).count - before
    #expect(bytes > 0 && bytes < 40_000, "\(bytes) bytes for a clump of 150 Downs")
    try t.send("Up")
    let up = try t.waitFor("Persona Editor — \(ScaleFixture.personaName(150))", timeout: 2)
    #expect(up.contains("Persona Editor — \(ScaleFixture.personaName(150))"))
    try t.send("C-q")
  }
}

/// The diff before a save (F7) and a persona's agent files (F8), in a real terminal.
@Suite(.serialized) struct SaveDiffAndAgentFilesLiveTests {
  @Test func f7ShowsTheFileLinesBeforeTheSaveAndF8SyncsTheAgentFiles() throws {
    let t = try Tmux()
    defer { t.kill() }
    let config = t.dir.appendingPathComponent("config")
    let agents = t.dir.appendingPathComponent("proj/.claude/agents")
    try t.start(
      "\(Tmux.binary) --config-dir \(config.path); echo EXIT=$?; sleep 60", width: 110, height: 36,
      env: ["TERM": "xterm-256color", "NO_COLOR": "1"])
    _ = try t.waitFor("AI Settings")
    // (The config dir is made at start; sync.toml is read when F8 asks.)
    try "[[targets]]\nformat = \"claude-code\"\ndir = \"\(agents.path)\"\n"
      .write(to: config.appendingPathComponent("sync.toml"), atomically: true, encoding: .utf8)
    try t.send("F7")
    _ = try t.waitFor("diff before save: on")
    try t.send("F5")
    _ = try t.waitFor("Persona Editor — Worker")
    try t.send("Tab", "Tab")
    try t.type(" — 確認")
    try t.send("C-s")
    let preview = try t.waitFor("Save: what changes on disk")
    #expect(preview.contains("+ description = \"Tier 3: implements one ticket — 確認\""), "\(preview)")
    let before = try String(contentsOf: config.appendingPathComponent("personas.toml"), encoding: .utf8)
    #expect(!before.contains("確認"))
    try t.send("Enter")
    _ = try t.waitFor("saved persona Worker")
    #expect(try String(contentsOf: config.appendingPathComponent("personas.toml"), encoding: .utf8).contains("確認"))
    try t.send("F8")
    let files = try t.waitFor("Agent files of Worker")
    #expect(files.contains("not written yet"), "\(files)")
    try t.send("s")
    _ = try t.waitFor("wrote 1 agent file(s) of Worker")
    let text = try String(contentsOf: agents.appendingPathComponent("worker.md"), encoding: .utf8)
    #expect(text.contains("description: 'Tier 3: implements one ticket — 確認'"), "\(text)")
    try t.send("Escape", "Escape", "C-q")
    #expect(try t.waitFor("EXIT=0").contains("EXIT=0"))
  }
}
