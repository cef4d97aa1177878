import Foundation
import PersonaKit
import TermUI
import TestSupport
import Testing

@testable import DramatisApp

/// Every screen, with and without the floating editor, at many sizes; and a seeded monkey that
/// presses random keys and checks the invariants after each.
@Suite struct RobustnessTests {
  static let openers: [(String, [Key])] = [
    ("ai", []), ("mma", [.function(3)]), ("tickets", [.function(4)]), ("editor", [.function(5)]),
    ("editor-on-tickets", [.function(4), .function(5)]), ("help", [.function(1)]),
  ]

  @Test func everyScreenAtEverySizeFrom20x6To300x100() throws {
    let f = try AppFixture()
    let ws = f.load()
    var sizes: [(Int, Int)] = []
    for w in stride(from: 20, through: 300, by: 7) { sizes.append((w, 6 + (w * 94 / 300))) }
    for h in stride(from: 6, through: 100, by: 5) { sizes.append((20 + h * 2, h)) }
    sizes += [(20, 6), (300, 100), (80, 24), (19, 5), (1, 1)]
    for (name, keys) in Self.openers {
      var app = DramatisApp(workspace: ws)
      for k in keys { _ = app.handle(k) }
      for (w, h) in sizes {
        let b = RunLoop.frame(&app, width: w, height: h, theme: .color)
        #expect(b.width == w && b.height == h)
        #expect(!b.textLines.joined().unicodeScalars.contains { DisplayWidth.isControl($0) }, "\(name) \(w)x\(h)")
        if (w < 20 || h < 6) && w >= 9 { #expect(b.line(0).contains("small"), "\(name) \(w)x\(h)") }
      }
    }
  }

  /// At every size from 20x6, on every screen and in the editor, Tab after Tab: the focused widget
  /// is always drawn where the user can see it (the layout follows the focus on small terminals).
  @Test func theFocusIsAlwaysShownAtEverySize() throws {
    let f = try AppFixture()
    let ws = f.load()
    var sizes: [(Int, Int)] = []
    for w in stride(from: 20, through: 130, by: 9) {
      for h in stride(from: 6, through: 40, by: 4) { sizes.append((w, h)) }
    }
    for (name, keys) in Self.openers where name != "help" {
      for (w, h) in sizes {
        var app = DramatisApp(workspace: ws)
        for k in keys { _ = app.handle(k) }
        for tab in 0..<18 {
          let b = RunLoop.frame(&app, width: w, height: h, theme: .color)
          #expect(
            b.focus.map { !$0.isEmpty } == true,
            "\(name) \(w)x\(h) after \(tab) Tab: the focus is not on anything shown")
          _ = app.handle(.tab)
        }
      }
    }
  }

  /// The same with what Enter opens on each field (a dropdown's popup, a dialog) and a Down in it,
  /// on small terminals: the view follows the popup's selected row.
  @Test func popupsAndDialogsKeepTheFocusShownOnSmallTerminals() throws {
    for (name, keys) in Self.openers where name != "help" {
      let f = try AppFixture()
      let ws = f.load()
      for (w, h) in [(20, 6), (30, 8), (44, 12), (60, 16), (80, 24)] {
        for tab in 0..<18 {
          var app = DramatisApp(workspace: ws)
          for k in keys + Array(repeating: .tab, count: tab) + [.enter] { _ = app.handle(k) }
          for step in ["Enter", "Enter Down"] {
            let b = RunLoop.frame(&app, width: w, height: h, theme: .color)
            #expect(b.focus.map { !$0.isEmpty } == true, "\(name) \(w)x\(h) after \(tab) Tab, \(step)")
            _ = app.handle(.down)
          }
        }
      }
    }
  }

  /// Size, modification time (ns) and inode of each file: any write changes one of them.
  static func stamps(_ files: [String], in f: AppFixture) -> [String] {
    files.map { name in
      var st = stat()
      stat(f.root.appendingPathComponent(name).path, &st)
      return "\(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(st.st_ino)"
    }
  }

  static func mayAskForASave(_ key: Key) -> Bool {
    switch key {
    case .enter, .tab, .backTab, .ctrl, .char(" "): return true
    default: return false
    }
  }

  static let keys: [Key] = [
    .up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .tab, .backTab, .enter, .escape, .backspace, .delete,
    .function(1), .function(2), .function(3), .function(4), .function(5), .ctrl("r"), .ctrl("u"), .ctrl("e"),
    .ctrl("n"), .char("a"), .char("1"), .char("."), .char(" "), .char("日"), .char("{"), .char("?"), .paste("x\ny"),
    .alt("b"), .resize(width: 60, height: 20), .resize(width: 100, height: 30),
  ]

  /// Numbers beyond an Int, pasted (into a number field they trapped when shown).
  static let largeNumbers: [Key] = [.paste("99999999999999999999"), .paste("1e30")]

  /// 100,000 keys in all over every screen: no crash, no file written by a key that cannot ask
  /// for a save (checked after every key, by the files' stamps), every file that was written
  /// parses, every cell valid. (Ctrl-S, Ctrl-D, Ctrl-Q, Ctrl-Z are left out: they save, copy, quit.)
  @Test(arguments: [1, 2, 3, 4])
  func monkey(seed: UInt64) throws {
    let f = try AppFixture()
    let files = ["personas.toml", "mma.toml", "ai_settings.toml", "tracks/auth.toml", "presets.toml"]
    var app = DramatisApp(workspace: f.load())
    var rng = SplitMix(seed: seed)
    var size = (80, 24)
    var before = try files.map { try f.read($0) }
    func stamps() -> [String] { Self.stamps(files, in: f) }
    var stamped = stamps()
    for i in 0..<25_000 {
      let key = (Self.keys + Self.largeNumbers).randomElement(using: &rng)!
      if case .resize(let w, let h) = key { size = (w, h) }
      // Up/Down on a number of the AI Settings panel step it: an edit, saved at once.
      let stepping =
        app.screen == .aiSettings && !app.isEditorOpen && (key == .up || key == .down)
        && ["temperature", "top_p", "max_output_tokens"].contains(app.ai.focus.current ?? "")
      _ = app.handle(key)
      // Moving, typing, switching screens, resizing never write a file; only a key that can ask
      // for a save may (Enter on a choice or button, Tab/BackTab committing an edit, Space on a
      // button, a Ctrl command, stepping a number).
      let now = stamps()
      if now != stamped {
        // A dry run started from the dashboard (Enter on [ Dry run ]) writes the track's statuses
        // as it goes, on its own task: those writes land at any later key.
        let changed = zip(files, zip(now, stamped)).filter { $1.0 != $1.1 }.map(\.0)
          .filter { !($0.hasPrefix("tracks/") && app.run != nil) }
        #expect(
          changed.isEmpty || stepping || Self.mayAskForASave(key),
          "seed \(seed) key \(i): \(key) on \(app.screen) (editor open: \(app.isEditorOpen)) wrote \(changed)")
        stamped = now
      }
      // Every frame: every cell valid, and the focus on a widget that is drawn (not scrolled
      // away, not hidden under a window, not missing after the list or the form changed).
      let b = RunLoop.frame(&app, width: size.0, height: size.1, theme: .color)
      #expect(b.cells.allSatisfy { $0.width <= 2 && ($0.width == 0) == $0.text.isEmpty }, "seed \(seed) key \(i)")
      #expect(
        b.focus.map { !$0.isEmpty } == true,
        "seed \(seed) key \(i): \(key) on \(app.screen) (editor open: \(app.isEditorOpen)): the focus is not on anything shown"
      )
      if i % 50 == 0 {
        // The screens only save on a choice, an Enter on a button, or a committed edit — all of
        // which the monkey can do; what it must never do is leave a file that does not parse.
        let now = try files.map { try f.read($0) }
        if now != before {
          for (name, text) in zip(files, now) {
            #expect((try? TOMLParser.parse(text)) != nil, "seed \(seed) key \(i): \(name) does not parse")
          }
          before = now
        }
      }
    }
  }
}

/// The shipped configuration with every number in it replaced by an extreme one — the largest and
/// smallest integers, nan, infinities, the largest and smallest floats — and the monkey over it:
/// every value is shown, resolved, stepped and saved without a trap (a number read from a file
/// went into `Int(…)` or `+ 1` in several places).
@Suite struct ExtremeNumbersTests {
  static let integers = ["9223372036854775807", "-9223372036854775808", "0"]
  static let floats = ["nan", "inf", "-inf", "1.7976931348623157e308", "-0.0", "5e-324"]

  /// Every `= number` of the files made extreme, in turn from the lists above.
  static func extreme(_ text: String) -> String {
    var n = 0
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let parts = line.split(separator: " = ", omittingEmptySubsequences: false)
      var rebuilt = String(parts[0])
      for part in parts.dropFirst() {
        let number = part.prefix { $0.isNumber || $0 == "." || $0 == "-" }
        if !number.isEmpty && !part.hasPrefix("\"") {
          n += 1
          let list = number.contains(".") ? floats : integers
          rebuilt += " = " + list[n % list.count] + part.dropFirst(number.count)
        } else {
          rebuilt += " = " + part
        }
      }
      out += rebuilt + "\n"
    }
    return String(out.dropLast())
  }

  @Test(arguments: [21, 22])
  func theMonkeyOverExtremeNumbers(seed: UInt64) throws {
    let f = try AppFixture()
    let files = [
      "personas.toml", "mma.toml", "ai_settings.toml", "tracks/auth.toml", "presets.toml", "models.toml",
      "tool_presets.toml", "bias_profiles.toml", "tools.toml",
    ]
    var changed = 0
    for name in files {
      let text = try f.read(name)
      let made = Self.extreme(text)
      if made != text { changed += 1 }
      // Only values changed: every file still parses (its problems are the validator's).
      #expect((try? TOMLParser.parse(made)) != nil, "\(name) does not parse")
      try f.write(name, made)
    }
    #expect(changed >= 6)
    let ws = f.load()
    #expect(!Validator.validate(ws).isEmpty)
    let resolver = Resolver(ws.config)
    for track in ws.config.tracks.names.compactMap({ ws.config.tracks[$0] }) {
      for ticket in track.tickets {
        for tier in [Int.min, 0, 1, 2, 3, 4, Int.max] { _ = resolver.resolve(tier: tier, track: track, ticket: ticket) }
      }
    }
    var app = DramatisApp(workspace: ws)
    var rng = SplitMix(seed: seed)
    var size = (100, 30)
    for opener in RobustnessTests.openers {
      var fresh = DramatisApp(workspace: ws)
      for k in opener.1 { _ = fresh.handle(k) }
      _ = RunLoop.frame(&fresh, width: 120, height: 40, theme: .color)
    }
    let keys = RobustnessTests.keys + RobustnessTests.largeNumbers + [.ctrl("s")]
    for i in 0..<4_000 {
      let key = keys.randomElement(using: &rng)!
      if case .resize(let w, let h) = key { size = (w, h) }
      _ = app.handle(key)
      let b = RunLoop.frame(&app, width: size.0, height: size.1, theme: .color)
      #expect(b.cells.allSatisfy { $0.width <= 2 }, "seed \(seed) key \(i)")
    }
    for name in files { #expect((try? TOMLParser.parse(try f.read(name))) != nil, "\(name) does not parse") }
  }
}

/// The monkey with another instance on the same config: every hundred keys the other one
/// changes a persona, a ticket, a tier or the AI Settings panel (seen by the watcher or not yet),
/// and now and then the app is ended by SIGHUP and started again (drafts offered). The keys
/// include Ctrl-S and the answers of the dialogs (r, v, k, d, y, n). After every key: every cell
/// valid, the focus on something shown, no file written by the app unless the key could ask for a
/// save, every file parses.
@Suite struct TwoInstancesMonkeyTests {
  static let keys: [Key] =
    RobustnessTests.keys + [
      .ctrl("s"), .ctrl("s"), .char("r"), .char("v"), .char("k"), .char("d"), .char("y"), .char("n"),
    ]

  /// The other instance's change number `n`.
  static func otherChange(_ f: AppFixture, _ n: Int) {
    var m = PersonaManager(f.load())
    do {
      switch n % 4 {
      case 0:
        guard var p = m.config.personas["Worker"] else { return }
        p.description = "changed elsewhere \(n)"
        try m.update(p, .persona)
      case 1:
        guard var t = m.config.tracks["auth"], !t.tickets.isEmpty else { return }
        t.tickets[n % t.tickets.count].description = "changed elsewhere \(n)"
        try m.saveTrack(t)
      case 2:
        try m.assignTier(1 + n % 4, persona: ["Worker", "Tech Lead", "QA Analyst", nil][n % 4 == 3 ? 3 : n % 3])
      default:
        var s = m.config.aiSettings
        s.overrides["temperature"] = .float(Double(n % 20) / 10)
        try m.saveAISettings(s)
      }
    } catch {
      // A file the monkey left unparseable cannot be changed by the other instance either.
    }
  }

  @Test(arguments: [11, 12])
  func monkeyWithAnotherInstance(seed: UInt64) throws {
    let f = try AppFixture()
    let files = ["personas.toml", "mma.toml", "ai_settings.toml", "tracks/auth.toml"]
    var app = DramatisApp(workspace: f.load())
    var rng = SplitMix(seed: seed)
    var size = (80, 24)
    func stamps() -> [String] { RobustnessTests.stamps(files, in: f) }
    var stamped = stamps()
    var changes = 0
    // A dry run writes the track's statuses on its own task — also after the app that started it
    // was ended here (a real process ending stops it; this one's task goes on).
    var ranDry = false
    // How often the paths this test is for were taken.
    var conflicts = 0
    var draftsOffered = 0
    func appWrote(_ now: [String]) -> [String] {
      zip(files, zip(now, stamped)).filter { $1.0 != $1.1 }.map(\.0).filter { !($0.hasPrefix("tracks/") && ranDry) }
    }
    for i in 0..<10_000 {
      if i % 100 == 50 {
        Self.otherChange(f, changes)
        changes += 1
        if rng.next() % 2 == 0 { _ = app.tick() }
        stamped = stamps()
      }
      if i % 2_000 == 1_999 {
        // An ssh drop, and a new start on the same files.
        app.terminate(signal: SIGHUP)
        #expect(appWrote(stamps()).isEmpty, "seed \(seed) key \(i): a draft wrote a config file")
        app = DramatisApp(workspace: f.load())
        if app.draftOffer != nil { draftsOffered += 1 }
      }
      let key = Self.keys.randomElement(using: &rng)!
      if case .resize(let w, let h) = key { size = (w, h) }
      let stepping =
        app.screen == .aiSettings && !app.isEditorOpen && (key == .up || key == .down)
        && ["temperature", "top_p", "max_output_tokens"].contains(app.ai.focus.current ?? "")
      // k keeps mine in a "Changed on disk" dialog (the app's, or the editor's).
      let keeping = key == .char("k") && (app.conflict != nil || app.editor?.dialog != nil)
      // y answers a confirmation (delete, rename, save to persona) like Enter.
      let confirming = key == .char("y") && (app.editor?.dialog != nil || app.ai.confirm != nil)
      let hadConflict = app.conflict != nil
      _ = app.handle(key)
      if app.run != nil { ranDry = true }
      if app.conflict != nil && !hadConflict { conflicts += 1 }
      let now = stamps()
      if now != stamped {
        let changed = appWrote(now)
        #expect(
          changed.isEmpty || stepping || keeping || confirming || RobustnessTests.mayAskForASave(key),
          "seed \(seed) key \(i): \(key) on \(app.screen) wrote \(changed)")
        stamped = now
        for name in changed {
          #expect((try? TOMLParser.parse(f.read(name))) != nil, "seed \(seed) key \(i): \(name) does not parse")
        }
      }
      let b = RunLoop.frame(&app, width: size.0, height: size.1, theme: .color)
      #expect(b.cells.allSatisfy { $0.width <= 2 && ($0.width == 0) == $0.text.isEmpty }, "seed \(seed) key \(i)")
      #expect(b.focus.map { !$0.isEmpty } == true, "seed \(seed) key \(i): \(key): the focus is not on anything shown")
    }
    #expect(changes == 100)
    // The paths this test is for were taken (seeds 11 and 12: 4 and 2 conflict dialogs, 3 and 4 drafts offered).
    #expect(conflicts > 0 && draftsOffered > 0, "\(conflicts) conflict dialogs, \(draftsOffered) drafts offered")
  }
}

@Suite struct StartupValidationTests {
  /// The full validation runs right after the first frame (the first tick comes at once); its
  /// first error reaches the status line then. A file that does not parse is reported at once.
  @Test func theFirstErrorOfTheConfigurationReachesTheStatusLine() throws {
    let f = try AppFixture()
    try f.write("mma.toml", "[tiers]\ntier3 = \"Ghost\"\n")
    var app = DramatisApp(workspace: f.load())
    #expect(app.tickInterval == 0)
    #expect(app.message.isEmpty)
    let redraw = app.tick()
    #expect(redraw)
    #expect(app.tickInterval == 500)
    #expect(app.message.contains("mma.toml:2:1") && app.message.contains("unknown persona \"Ghost\""))

    try f.write("personas.toml", "[personas.A\n")
    let broken = DramatisApp(workspace: f.load())
    #expect(broken.message.contains("personas.toml:1:") && broken.message.contains("read-only"))
  }
}
