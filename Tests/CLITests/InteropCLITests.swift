import Foundation
import PersonaKit
import Testing

/// `personas export --format`, `personas import` of agent files, and `sync`, with their exit
/// codes, as a user runs them.
@Suite struct InteropCLITests {
  @Test func exportWritesTheFilesAndReportsWhatEachDrops() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let out = cli.configDir.appendingPathComponent("proj/.claude/agents")
    let r = try cli.run(["personas", "export", "--format", "claude-code", "--out", out.path, "Security Reviewer"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stderr.contains("Security Reviewer: temperature 0.2 — Claude Code has no per-agent temperature (dropped)"))
    #expect(r.stderr.contains("wrote 1 of 1 Claude Code agent file(s)"), "\(r.stderr)")
    let text = try String(contentsOf: out.appendingPathComponent("security-reviewer.md"), encoding: .utf8)
    #expect(text.hasPrefix("---\nname: security-reviewer\n"))
    // --json: the report as data.
    let json = try cli.json(["personas", "export", "--format", "gemini", "--out", out.path + "-g", "--json", "Worker"])
    let files = try #require(json["files"]?.array)
    #expect(files.count == 1 && files[0]["persona"]?.string == "Worker")
    #expect((files[0]["dropped"]?.array ?? []).contains { $0["field"]?.string == "fallback models" })
    // A file edited since is not overwritten without --force (exit 1, nothing written).
    let edited = text + "\nmine\n"
    try edited.write(to: out.appendingPathComponent("security-reviewer.md"), atomically: true, encoding: .utf8)
    let refused = try cli.run(["personas", "export", "--format", "claude-code", "--out", out.path, "Security Reviewer"])
    #expect(refused.status == 1 && refused.stderr.contains("--force overwrites"), "\(refused.stderr)")
    #expect(try String(contentsOf: out.appendingPathComponent("security-reviewer.md"), encoding: .utf8) == edited)
    let forced = try cli.run([
      "personas", "export", "--format", "claude-code", "--out", out.path, "--force", "Security Reviewer",
    ])
    #expect(forced.status == 0)
    // An unknown format: ArgumentParser's message, exit 64.
    let bad = try cli.run(["personas", "export", "--format", "cursor"])
    #expect(bad.status == 64, "\(bad.stderr)")
  }

  @Test func importOfAFolderThroughTheRulesOfCreate() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let dir = cli.configDir.appendingPathComponent("proj/.claude/agents")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try
      "---\nname: code-reviewer\ndescription: Reviews code\ntools: Read, Grep\nmodel: sonnet\ncolor: red\n---\nReview.\n"
      .write(to: dir.appendingPathComponent("code-reviewer.md"), atomically: true, encoding: .utf8)
    try "---\ndescription: Writes docs\nmodel: inherit\n---\nDocs.\n"
      .write(to: dir.appendingPathComponent("doc-writer.md"), atomically: true, encoding: .utf8)
    try "notes".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    try cli.run(["validate"])
    let personasBefore = try Data(contentsOf: cli.configDir.appendingPathComponent("personas.toml"))
    let dry = try cli.run(["personas", "import", "--dry-run", dir.path])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.contains("would import 2 persona(s)"), "\(dry.stdout)")
    #expect(dry.stderr.contains("doc-writer: model inherit"), "\(dry.stderr)")
    #expect(try Data(contentsOf: cli.configDir.appendingPathComponent("personas.toml")) == personasBefore)
    let r = try cli.run(["personas", "import", dir.path])
    #expect(r.status == 0, "\(r.stderr)")
    let show = try cli.run(["personas", "show", "code-reviewer"])
    #expect(show.stdout.contains("anthropic/claude-sonnet-4-5"), "\(show.stdout)")
    #expect(try cli.run(["validate"]).status == 0)
    // Again: the names exist — refused (exit 1), unless --replace.
    let again = try cli.run(["personas", "import", dir.path])
    #expect(again.status == 1 && again.stderr.contains("already exists"), "\(again.stderr)")
    #expect(try cli.run(["personas", "import", "--replace", dir.path]).status == 0)
    // A broken file: its place, nothing written.
    try "---\nname: [x\n---\n".write(to: dir.appendingPathComponent("broken.md"), atomically: true, encoding: .utf8)
    let broken = try cli.run(["personas", "import", "--replace", dir.path])
    #expect(broken.status == 1 && broken.stderr.contains("broken.md:"), "\(broken.stderr)")
  }

  @Test func syncWritesChecksRefusesAHandEditAndPulls() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    try cli.run(["validate"])
    // No targets yet: exit 1, saying where to write them.
    let none = try cli.run(["sync"])
    #expect(none.status == 1 && none.stderr.contains("sync.toml"), "\(none.stderr)")
    let out = cli.configDir.appendingPathComponent("proj/.gemini/agents")
    try "[[targets]]\nformat = \"gemini\"\ndir = \"\(out.path)\"\npersonas = [\"Worker\", \"Security Reviewer\"]\n"
      .write(to: cli.configDir.appendingPathComponent("sync.toml"), atomically: true, encoding: .utf8)
    #expect(try cli.run(["sync", "--check"]).status == 1)
    let dry = try cli.run(["sync", "--dry-run"])
    #expect(dry.status == 0 && dry.stdout.contains("new") && !FileManager.default.fileExists(atPath: out.path))
    #expect(try cli.run(["sync"]).status == 0)
    #expect(try cli.run(["sync", "--check"]).status == 0)
    // A hand edit: sync refuses (exit 1) naming the file; --pull reads it back.
    let file = out.appendingPathComponent("worker.md")
    let text = try String(contentsOf: file, encoding: .utf8)
      .replacingOccurrences(
        of: "description: 'Tier 3: implements one ticket'", with: "description: 'Tier 3: one ticket, well'")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let refused = try cli.run(["sync"])
    #expect(refused.status == 1 && refused.stderr.contains(file.path), "\(refused.stderr)")
    #expect(try cli.run(["sync", "--check"]).status == 1)
    let pulled = try cli.run(["sync", "--pull"])
    #expect(pulled.status == 0, "\(pulled.stderr)")
    #expect(try cli.run(["personas", "show", "Worker"]).stdout.contains("Tier 3: one ticket, well"))
    #expect(try cli.run(["sync", "--check"]).status == 0)
    // A rename: the old file goes, the new one comes.
    try cli.run(["personas", "rename", "Worker", "Builder"])
    try "[[targets]]\nformat = \"gemini\"\ndir = \"\(out.path)\"\npersonas = [\"Builder\", \"Security Reviewer\"]\n"
      .write(to: cli.configDir.appendingPathComponent("sync.toml"), atomically: true, encoding: .utf8)
    let r = try cli.run(["sync"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains("removed  \(file.path)")
        && FileManager.default.fileExists(atPath: out.appendingPathComponent("builder.md").path))
    // --json of --check.
    let plan = try cli.json(["sync", "--check", "--json"])
    #expect(plan.array?.allSatisfy { $0["status"]?.string == "current" } == true)
  }
}
