import Foundation
import PersonaKit
import TermUI
import TestSupport
import Testing

@testable import DramatisApp

/// The app keeps parts of a frame between keys: the screen under the Persona Editor (`below`),
/// the editor's window without its rows and fields (`editor.chrome`), the AI Settings panel under
/// an open dropdown (`ai.under`) and what the panel derives from the configuration
/// (`ai.derived`). A key must never show a stale part: two apps get the same random
/// keys (and the same changes on disk); one keeps its caches, the other has them cleared before
/// every key and every frame. Their frames must be the same.
@Suite struct FrameCacheTests {
  static let keys = [
    "Enter", "Enter", "Down", "Down", "Down", "Up", "PgDn", "PgUp", "Home", "End", "Tab", "Tab", "S-Tab", "Esc",
    "BSpace", "C-r", "F5", "a", "e", "2", "Space",
  ]

  /// Both fixtures' folders have names of the same length: the status line shows the folder.
  static func fixture(_ tag: String, _ id: String) throws -> AppFixture {
    try AppFixture(name: "dramatis-cache-\(tag)-\(id)")
  }

  static func clearCaches(_ app: inout DramatisApp) {
    app.below = nil
    app.ai.under = nil
    app.ai.derived = nil
    app.editor?.chrome = nil
  }

  /// Lines of wide characters in the bound persona's prompt, so on the AI Settings screen under
  /// the editor: one starting on an even column and one on an odd one, so that the window's edges
  /// cut some of them in half at any size.
  static func addWideLines(_ f: AppFixture) throws {
    let cjk = String(repeating: "変更は小さく、テストを先に。", count: 12)
    let text = try f.read("personas.toml")
    try f.write(
      "personas.toml",
      text.replacingOccurrences(
        of: "system_prompt = \"Prefer the project's existing helpers to new code.\"",
        with: "system_prompt = \"\(cjk)\\nx\(cjk)\""))
  }

  /// Every wide character whole: a half left alone puts the rest of its row a column off on the
  /// terminal.
  static func wellFormed(_ b: Buffer) -> Bool {
    (0..<b.cells.count).allSatisfy { i in
      let c = b.cells[i]
      let x = i % b.width
      if c.width == 2 { return x + 1 < b.width && b.cells[i + 1].isContinuation }
      if c.isContinuation { return x > 0 && b.cells[i - 1].width == 2 }
      return true
    }
  }

  /// The kept editor window copied over a wide character it cuts (found live at 200x60: the
  /// character's first half stayed, and tmux showed the rest of the row one column to the left).
  @Test func theKeptWindowOverWideCharactersLeavesNoneCutInHalf() throws {
    let f = try AppFixture()
    try Self.addWideLines(f)
    for (w, h) in [(200, 50), (201, 50), (160, 40)] {
      var app = DramatisApp(workspace: f.load())
      for key in ["F5", "Down", "Down", "Up"] {
        _ = app.handle(Key.script(key)[0])
        var fresh = app
        Self.clearCaches(&fresh)
        let kept = RunLoop.frame(&app, width: w, height: h, theme: .color)
        let drawn = RunLoop.frame(&fresh, width: w, height: h, theme: .color)
        #expect(Self.wellFormed(kept), "\(key) at \(w)x\(h):\n\(kept.snapshot)")
        #expect(kept.cells == drawn.cells, "\(key) at \(w)x\(h)")
      }
    }
  }

  @Test func cachedFramesEqualFramesDrawnAfresh() throws {
    var rng = SplitMix(seed: 41)
    let id = UUID().uuidString.prefix(8)
    let cached = try Self.fixture("a", String(id))
    let fresh = try Self.fixture("b", String(id))
    for f in [cached, fresh] { try Self.addWideLines(f) }
    var checked = 0
    for run in 0..<30 {
      var a = DramatisApp(workspace: cached.load())
      var b = DramatisApp(workspace: fresh.load())
      let (w, h) = [(120, 40), (80, 24), (50, 14), (36, 11), (200, 50)][run % 5]
      for step in 0..<30 {
        if Int.random(in: 0..<25, using: &rng) == 0 {
          // Another program changes a persona on disk: both apps reload it at their next tick.
          let t = Double(Int.random(in: 0...9, using: &rng)) / 10
          for f in [cached, fresh] {
            let text = try f.read("personas.toml")
            try f.write("personas.toml", text.replacingOccurrences(of: "temperature = 0.2", with: "temperature = \(t)"))
          }
          _ = a.tick()
          Self.clearCaches(&b)
          _ = b.tick()
        } else {
          let key = Key.script(Self.keys.randomElement(using: &rng)!)[0]
          _ = a.handle(key)
          Self.clearCaches(&b)
          _ = b.handle(key)
        }
        Self.clearCaches(&b)
        let fa = RunLoop.frame(&a, width: w, height: h, theme: .color)
        let fb = RunLoop.frame(&b, width: w, height: h, theme: .color)
        let body = (w * (h - 1))
        let same =
          fa.cells[..<body] == fb.cells[..<body] && fa.focus == fb.focus
          && fa.textLines.last!.replacingOccurrences(of: "cache-a-", with: "cache-b-") == fb.textLines.last!
        #expect(same, "run \(run) step \(step) at \(w)x\(h):\n\(fa.snapshot)\n---\n\(fb.snapshot)")
        let whole = Self.wellFormed(fa)
        #expect(whole, "run \(run) step \(step) at \(w)x\(h):\n\(fa.snapshot)")
        if !same || !whole { return }
        checked += 1
      }
    }
    #expect(checked == 900)
  }

  /// In a window too small for the form, the form scrolls with the focus and goes back to its top
  /// when another persona is loaded, with the focus still on the list: the kept window (labels,
  /// arrows) follows.
  @Test func theEditorsFormScrollShowsInTheKeptWindow() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    // Down the form to the last button (it scrolls), Tab round to the list (it stays scrolled),
    // then other personas (each load puts it back to the top).
    let script = "F5 " + Array(repeating: "Tab", count: 19).joined(separator: " ") + " Down Down Up"
    var scrolled = false
    for key in Key.script(script) {
      _ = app.handle(key)
      var fresh = app
      Self.clearCaches(&fresh)
      let a = RunLoop.frame(&app, width: 70, height: 22, theme: .color)
      let b = RunLoop.frame(&fresh, width: 70, height: 22, theme: .color)
      #expect(a == b, "after \(key):\n\(a.snapshot)\n---\n\(b.snapshot)")
      if a != b { return }
      if (app.editor?.formScroll ?? 0) > 0 && app.editor?.focusID == "list" { scrolled = true }
    }
    #expect(scrolled)
    #expect(app.editor?.formScroll == 0)
  }

  /// The bound persona changes on disk while a dropdown is open: the panel under the
  /// popup shows the new temperature at the next frame.
  @Test func aReloadShowsUnderAnOpenDropdown() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    _ = lines(&app)  // the first frame, as the app draws it before any key
    press(&app, "Tab Tab Tab Tab Tab Tab Tab Enter")  // the bias profile dropdown, below the numbers
    func temperature(_ lines: [String]) -> String? { lines.first { $0.contains("Temperature") } }
    let before = lines(&app)
    #expect(temperature(before)?.contains("0.2") == true, "\(before.joined(separator: "\n"))")
    press(&app, "Down")
    _ = lines(&app)
    let text = try f.read("personas.toml")
    let changed = text.replacingOccurrences(
      of: "model = \"claude-sonnet-4-5\", temperature = 0.2", with: "model = \"claude-sonnet-4-5\", temperature = 0.7")
    #expect(changed != text)
    try f.write("personas.toml", changed)
    let reloaded = app.tick()
    #expect(reloaded)
    let after = lines(&app)
    #expect(temperature(after)?.contains("0.7") == true, "\(after.joined(separator: "\n"))")
    #expect(app.ai.biasProfile.isOpen)
    // A change that only the preview shows (no field of the panel changes).
    press(&app, "Down")
    _ = lines(&app)
    try f.write(
      "personas.toml",
      changed.replacingOccurrences(of: "Prefer the project's existing helpers", with: "Reuse the project's helpers"))
    let again = app.tick()
    #expect(again)
    let preview = lines(&app)
    #expect(preview.contains { $0.contains("Reuse the project's helpers to new code.") })
    #expect(!preview.contains { $0.contains("Prefer the project's existing helpers") })
    #expect(app.ai.biasProfile.isOpen)
  }
}
