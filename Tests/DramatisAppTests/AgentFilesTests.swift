import Foundation
import PersonaKit
import TermUI
import Testing

@testable import DramatisApp

/// The Persona Editor's view of the selected persona's agent files (F8) and its sync.
@Suite struct AgentFilesTests {
  @Test func f8ShowsEachTargetsStatusAndWhatItDropsAndSSyncsThem() throws {
    let f = try AppFixture()
    let out = f.root.appendingPathComponent("proj")
    try f.write(
      "sync.toml",
      "[[targets]]\nformat = \"claude-code\"\ndir = \"\(out.path)/.claude/agents\"\n\n"
        + "[[targets]]\nformat = \"gemini\"\ndir = \"\(out.path)/.gemini/agents\"\npersonas = [\"Tech Lead\"]\n")
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5")
    let name = try #require(app.editor?.editing)
    press(&app, "F8")
    var shown = lines(&app, 140, 50).joined(separator: "\n")
    #expect(shown.contains("Agent files of \(name)"), "\(shown)")
    #expect(shown.contains("claude-code  \(out.path)/.claude/agents/\(AgentFormat.slug(name)).md"), "\(shown)")
    #expect(shown.contains("not written yet"), "\(shown)")
    #expect(shown.contains("drops fallback models"), "\(shown)")
    // Only the targets that sync this persona.
    #expect(shown.contains(".gemini/agents") == (name == "Tech Lead"))
    press(&app, "s")
    #expect(app.message.hasPrefix("wrote 1 agent file(s) of \(name)"), "\(app.message)")
    shown = lines(&app, 140, 50).joined(separator: "\n")
    #expect(shown.contains("current"), "\(shown)")
    // An edit by hand: shown, and s leaves it.
    let file = out.appendingPathComponent(".claude/agents/\(AgentFormat.slug(name)).md")
    try (try String(contentsOf: file, encoding: .utf8) + "\nmine\n").write(to: file, atomically: true, encoding: .utf8)
    press(&app, "Esc F8")
    shown = lines(&app, 140, 50).joined(separator: "\n")
    #expect(shown.contains("edited by hand"), "\(shown)")
    press(&app, "s")
    #expect(app.message.contains("1 edited by hand left as they are"), "\(app.message)")
    #expect(try String(contentsOf: file, encoding: .utf8).hasSuffix("\nmine\n"))
    press(&app, "Esc")
    #expect(app.editor?.dialog == nil)
  }

  @Test func withoutTargetsItSaysWhereToDeclareThem() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F5 F8")
    let shown = lines(&app).joined(separator: "\n")
    #expect(shown.contains("sync.toml lists no target"), "\(shown)")
  }
}
