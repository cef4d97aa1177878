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

  @Test func cachedFramesEqualFramesDrawnAfresh() throws {
    var rng = SplitMix(seed: 41)
    let id = UUID().uuidString.prefix(8)
    let cached = try Self.fixture("a", String(id))
    let fresh = try Self.fixture("b", String(id))
    var checked = 0
    for run in 0..<30 {
      var a = DramatisApp(workspace: cached.load())
      var b = DramatisApp(workspace: fresh.load())
      let (w, h) = [(120, 40), (80, 24), (50, 14), (36, 11)][run % 4]
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
        if !same { return }
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
