import Foundation
import Testing

@testable import PersonaKit

/// Personas as the agent tools' files and back (docs/interop.md).
@Suite struct InteropTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "interop-golden")

  /// The shipped personas in every format, against the reviewed files in `interop-golden/`
  /// (DRAMATIS_RECORD_GOLDEN=1 writes them again, to be reviewed before they are committed).
  @Test(arguments: AgentFormat.allCases)
  func shippedPersonasMatchTheGoldenFiles(_ format: AgentFormat) throws {
    let f = try Fixture()
    let config = f.load().config
    let files = try AgentExport.files(config.personas.values, as: format, config: config, table: .shipped)
    let dir = Self.golden.appendingPathComponent(format.rawValue)
    var report = files.flatMap(\.losses).map(\.description).joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["DRAMATIS_RECORD_GOLDEN"] != nil {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      for file in files {
        try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
      }
      try report.write(to: dir.appendingPathComponent("dropped.txt"), atomically: true, encoding: .utf8)
    }
    for file in files {
      let expected = try String(contentsOf: dir.appendingPathComponent(file.fileName), encoding: .utf8)
      #expect(file.text == expected, "\(format.rawValue)/\(file.fileName)")
    }
    report = try String(contentsOf: dir.appendingPathComponent("dropped.txt"), encoding: .utf8)
    #expect(files.flatMap(\.losses).map(\.description).joined(separator: "\n") + "\n" == report)
  }

  /// Export, then import into a configuration without those personas: every field the format
  /// holds comes back.
  @Test(arguments: AgentFormat.allCases)
  func roundTripGivesBackWhatTheFormatHolds(_ format: AgentFormat) throws {
    let f = try Fixture()
    let config = f.load().config
    let reviewer = try #require(config.personas["Security Reviewer"])
    let file = AgentExport.file(reviewer, as: format, config: config, table: .shipped)
    // Into a configuration that has the catalog but not the persona.
    var m = f.manager()
    try m.delete(.persona, "Security Reviewer", force: true)
    let back = try AgentImport.read(
      file.text, path: "/x/\(format.projectDir)/\(file.fileName)", format: format, config: m.config, table: .shipped)
    let p = back.persona
    #expect(p.name == (format == .copilot ? "Security Reviewer" : "security-reviewer"))
    #expect(p.description == reviewer.description)
    let effective = Resolver(config).resolve(persona: reviewer.name, retry: 0).systemPrompt
    #expect(p.systemPrompt == AgentImport.trimmed(effective))
    let model = p.preferredModels.first
    switch format {
    case .claudeCode, .copilot, .opencode:
      #expect(model?.model == "claude-sonnet-4-5" && model?.provider == "anthropic", "\(String(describing: model))")
    case .gemini: #expect(model?.model == "gemini-2.5-pro" && model?.provider == "gemini")
    case .codex: #expect(model == nil)  // no OpenAI model among its preferred ones
    }
    if format == .opencode { #expect(model?.temperature == 0.2) }
    if format == .gemini { #expect(model?.temperature == 0.3) }
    // The tools the format can name come back (the read-only git tools have no counterpart).
    if format != .codex {
      let tools = Set(back.toolPreset?.allTools.map(\.tool.name) ?? [])
      // (Copilot's `web` stands for both web tools: it reads back as the first.)
      let expected: Set =
        format == .copilot
        ? ["read_file", "search_code", "web_search"] : ["read_file", "search_code", "web_search", "fetch_url"]
      #expect(tools.isSuperset(of: expected), "\(tools)")
      #expect(!tools.contains("run_shell"))
    }
    if format == .opencode {
      // `approval = "ask"` travels as opencode's `permission: ask`.
      let asked = back.toolPreset?.allTools.filter { $0.tool.approval == "ask" }.map(\.tool.name)
      #expect(Set(asked ?? []) == ["web_search", "fetch_url"])
    }
  }

  @Test func realWorldShapesImport() throws {
    let f = try Fixture()
    let config = f.load().config
    // Claude Code: comma string of tools, an alias, a tool we do not have, fields we keep.
    let claude = """
      ---
      name: code-reviewer
      description: Expert code review specialist. Use PROACTIVELY after writing code.
      tools: Read, Grep, Glob, Bash, mcp__github__create_review
      model: opus
      color: purple
      permissionMode: plan
      ---

      You are a senior code reviewer.
      """
    let a = try AgentImport.read(
      claude, path: "/p/.claude/agents/code-reviewer.md", format: .claudeCode, config: config, table: .shipped)
    #expect(a.persona.name == "code-reviewer")
    #expect(a.persona.preferredModels.first?.model == "claude-opus-4-1")
    #expect(a.persona.systemPrompt == "You are a senior code reviewer.")
    #expect(
      Set(a.toolPreset?.allTools.map(\.tool.name) ?? []) == ["read_file", "search_code", "list_directory", "run_shell"])
    #expect(
      a.losses.map(\.description) == [
        "code-reviewer: tools mcp__github__create_review — no Dramatis tool for it in interop.toml (kept in interop.claude-code, written back on export)"
      ])
    let kept = try #require(a.persona.raw["interop"]?.tableValue?["claude-code"]?.tableValue)
    #expect(kept["color"] == .string("purple") && kept["permissionMode"] == .string("plan"))
    // …and an export gives them back.
    var withPreset = f.manager()
    try withPreset.importPersonas([a.persona], toolPresets: [a.toolPreset!], scope: .global, replace: false)
    let again = AgentExport.file(
      try #require(withPreset.config.personas["code-reviewer"]), as: .claudeCode, config: withPreset.config,
      table: .shipped)
    #expect(again.text.contains("color: purple\n") && again.text.contains("permissionMode: plan\n"), "\(again.text)")
    #expect(again.text.contains("tools: Read, Grep, Glob, Bash, mcp__github__create_review\n"), "\(again.text)")

    // model: inherit, no name (the file's name), no tools (no preset).
    let inherit = "---\ndescription: Writes docs\nmodel: inherit\n---\nWrite docs.\n"
    let b = try AgentImport.read(
      inherit, path: "/p/.claude/agents/doc-writer.md", format: .claudeCode, config: config, table: .shipped)
    #expect(b.persona.name == "doc-writer" && b.persona.preferredModels.isEmpty && b.persona.toolPresetID == nil)
    #expect(b.losses.first?.field == "model" && b.losses.first?.value == "inherit")

    // opencode: the tools map (deprecated), provider/model, temperature, mode kept.
    let opencode = """
      ---
      description: Reviews code
      mode: primary
      model: google/gemini-2.5-pro
      temperature: 0.1
      tools:
        write: false
        edit: false
        bash: false
        read: true
        grep: true
      ---
      Review.
      """
    let c = try AgentImport.read(
      opencode, path: "/p/.opencode/agent/review.md", format: .opencode, config: config, table: .shipped)
    #expect(c.persona.name == "review")
    #expect(
      c.persona.preferredModels.first == ModelSettings(provider: "gemini", model: "gemini-2.5-pro", temperature: 0.1))
    #expect(Set(c.toolPreset?.allTools.map(\.tool.name) ?? []) == ["read_file", "search_code"])
    #expect(c.persona.raw["interop"]?.tableValue?["opencode"]?.tableValue?["mode"] == .string("primary"))

    // Copilot: a display name for the model, handoffs kept, a list of aliases.
    let copilot = """
      ---
      name: Planner
      description: 'Generate an implementation plan'
      tools: ['search', 'read', 'web/fetch']
      model: Claude Sonnet 4.5 (copilot)
      handoffs:
        - label: Implement Plan
          agent: agent
          prompt: Implement the plan outlined above.
          send: false
      ---
      # Planning instructions
      You are in planning mode.
      """
    let d = try AgentImport.read(
      copilot, path: "/p/.github/agents/planner.agent.md", format: .copilot, config: config, table: .shipped)
    #expect(d.persona.name == "Planner")
    #expect(d.persona.preferredModels.first?.model == "claude-sonnet-4-5")
    let handoffs = d.persona.raw["interop"]?.tableValue?["copilot"]?.tableValue?["handoffs"]?.arrayValue
    #expect(handoffs?.first?.tableValue?["label"] == .string("Implement Plan"))
    #expect(d.losses.contains { $0.field == "tools" && $0.value == "web/fetch" })

    // Codex: TOML, developer_instructions, the fields it has kept.
    let codex = """
      name = "security_auditor"
      description = "Audits for auth and input-validation risks"
      model = "gpt-5"
      model_reasoning_effort = "high"
      sandbox_mode = "read-only"
      developer_instructions = \"\"\"
      Audit the branch.
      \"\"\"
      """
    let e = try AgentImport.read(
      codex, path: "/p/.codex/agents/security_auditor.toml", format: .codex, config: config, table: .shipped)
    #expect(e.persona.name == "security_auditor" && e.persona.systemPrompt == "Audit the branch.")
    #expect(e.persona.preferredModels.first?.provider == "openai")
    #expect(e.persona.raw["interop"]?.tableValue?["codex"]?.tableValue?["model_reasoning_effort"] == .string("high"))

    // Gemini CLI: a list of tools, max_turns kept.
    let gemini =
      "---\nname: security-auditor\ndescription: Finds vulnerabilities.\nkind: local\ntools:\n  - read_file\n  - grep_search\nmodel: gemini-2.5-flash\ntemperature: 0.2\nmax_turns: 10\n---\nYou are a ruthless Security Auditor.\n"
    let g = try AgentImport.read(
      gemini, path: "/p/.gemini/agents/security-auditor.md", format: .gemini, config: config, table: .shipped)
    #expect(
      g.persona.preferredModels.first == ModelSettings(provider: "gemini", model: "gemini-2.5-flash", temperature: 0.2))
    #expect(g.persona.raw["interop"]?.tableValue?["gemini"]?.tableValue?["max_turns"] == .integer(10))
  }

  @Test func opencodeJSONAgentsImport() throws {
    let f = try Fixture()
    let json = """
      {
        "$schema": "https://opencode.ai/config.json",
        "agent": {
          "review": {
            "description": "Reviews code",
            "mode": "subagent",
            "model": "anthropic/claude-sonnet-4-5",
            "temperature": 0.1,
            "prompt": "You review code.",
            "permission": { "edit": "deny", "bash": "ask", "read": "allow" }
          },
          "docs": { "description": "Docs", "prompt": "{file:./prompts/docs.txt}" }
        }
      }
      """
    let agents = try AgentImport.readOpencodeJSON(
      json, path: "/p/opencode.json", config: f.load().config, table: .shipped)
    #expect(agents.map(\.persona.name) == ["review", "docs"])
    #expect(agents[0].persona.systemPrompt == "You review code.")
    #expect(agents[0].persona.preferredModels.first?.temperature == 0.1)
    #expect(agents[0].toolPreset?.allTools.map(\.tool.name).sorted() == ["read_file", "run_shell"])
    #expect(agents[0].toolPreset?.allTools.first { $0.tool.name == "run_shell" }?.tool.approval == "ask")
    #expect(agents[1].persona.systemPrompt == nil)
    #expect(
      agents[1].persona.raw["interop"]?.tableValue?["opencode"]?.tableValue?["prompt"]
        == .string("{file:./prompts/docs.txt}"))
  }

  @Test func aBrokenFrontmatterSaysWhere() throws {
    let f = try Fixture()
    let text = "---\nname: x\ndescription: [unclosed\n---\nbody\n"
    #expect(throws: ConfigError.self) {
      try AgentImport.read(text, path: "/p/x.md", format: .claudeCode, config: f.load().config, table: .shipped)
    }
    do {
      _ = try AgentImport.read(text, path: "/p/x.md", format: .claudeCode, config: f.load().config, table: .shipped)
    } catch {
      #expect(error.description.hasPrefix("/p/x.md:4:"), "\(error.description)")
    }
  }

  @Test func theLossReportNamesPersonaFieldAndWhy() throws {
    let f = try Fixture()
    let config = f.load().config
    let file = AgentExport.file(
      try #require(config.personas["Security Reviewer"]), as: .claudeCode, config: config, table: .shipped)
    let lines = file.losses.map(\.description)
    #expect(
      lines.contains("Security Reviewer: temperature 0.2 — Claude Code has no per-agent temperature (dropped)"),
      "\(lines)")
    #expect(lines.contains { $0.hasPrefix("Security Reviewer: fallback models gemini-2.5-pro — ") })
    #expect(lines.contains { $0.hasPrefix("Security Reviewer: tools git_status, git_diff, git_log — ") })
  }

  @Test func interopTomlChangesTheTable() throws {
    let f = try Fixture()
    try f.write("interop.toml", "[tools.claude-code]\ngit_diff = \"Bash(git diff:*)\"\n[tools.nope]\nx = \"y\"\n")
    let table = InteropTable.load(configDir: f.global)
    #expect(table.tool("git_diff", in: .claudeCode) == "Bash(git diff:*)")
    #expect(table.tool("read_file", in: .claudeCode) == "Read")
    #expect(table.problems.count == 1 && table.problems[0].contains("[tools.nope]: no such format"))
  }

  @Test func twoPersonasOfOneSlugAreRefused() throws {
    let f = try Fixture()
    var m = f.manager()
    try m.create(Persona(name: "security reviewer"), .persona, scope: .global)
    #expect(throws: ConfigError.self) {
      try AgentExport.files(m.config.personas.values, as: .gemini, config: m.config, table: .shipped)
    }
  }
}

/// `dramatis sync`'s plan and its writes.
@Suite struct AgentSyncTests {
  func setUp(_ f: Fixture, personas: String = "") throws -> URL {
    let out = f.root.appendingPathComponent("proj/.claude/agents")
    try f.write("sync.toml", "[[targets]]\nformat = \"claude-code\"\ndir = \"\(out.path)\"\n\(personas)")
    return out
  }

  func plan(_ f: Fixture) throws -> [AgentSync.Item] {
    try AgentSync.plan(
      AgentSync.targets(f.paths), config: f.load().config, table: .shipped, state: AgentSync.state(f.paths))
  }

  @Test func firstWriteThenNothingToDoThenAPersonaChange() throws {
    let f = try Fixture()
    let out = try setUp(f)
    var items = try plan(f)
    #expect(items.count == 5 && items.allSatisfy { $0.status == .new })
    let done = try AgentSync.apply(items, paths: f.paths, force: false)
    #expect(done.written.count == 5)
    items = try plan(f)
    #expect(items.allSatisfy { $0.status == .current })
    var m = f.manager()
    var w = try #require(m.config.personas["Worker"])
    w.description = "changed"
    try m.update(w, .persona)
    items = try plan(f)
    #expect(items.filter { $0.status != .current }.map(\.persona) == ["Worker"])
    #expect(items.first { $0.persona == "Worker" }?.status == .stale)
    _ = try AgentSync.apply(items, paths: f.paths, force: false)
    #expect(
      try String(contentsOf: out.appendingPathComponent("worker.md"), encoding: .utf8).contains("description: changed"))
  }

  @Test func aHandEditIsNotOverwrittenUnlessForced() throws {
    let f = try Fixture()
    let out = try setUp(f)
    _ = try AgentSync.apply(try plan(f), paths: f.paths, force: false)
    let file = out.appendingPathComponent("worker.md")
    let edited = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
      of: "name: worker", with: "name: worker\ncolor: red")
    try edited.write(to: file, atomically: true, encoding: .utf8)
    var m = f.manager()
    var w = try #require(m.config.personas["Worker"])
    w.description = "changed"
    try m.update(w, .persona)
    let items = try plan(f)
    #expect(items.first { $0.persona == "Worker" }?.status == .edited)
    #expect(throws: ConfigError.self) { try AgentSync.apply(items, paths: f.paths, force: false) }
    #expect(try String(contentsOf: file, encoding: .utf8) == edited)
    // (Nothing else was written either.)
    _ = try AgentSync.apply(items, paths: f.paths, force: true)
    #expect(try String(contentsOf: file, encoding: .utf8).contains("description: changed"))
  }

  @Test func pullReadsTheEditIntoThePersonaAndKeepsWhatTheFileCannotHold() throws {
    let f = try Fixture()
    let out = try setUp(f)
    _ = try AgentSync.apply(try plan(f), paths: f.paths, force: false)
    let file = out.appendingPathComponent("security-reviewer.md")
    let text = try String(contentsOf: file, encoding: .utf8)
      .replacingOccurrences(
        of: "description: Reads diffs for injection and auth bugs", with: "description: Reads diffs, closely"
      )
      .replacingOccurrences(of: "---\nYou review", with: "---\nYou review")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let item = try #require(try plan(f).first { $0.persona == "Security Reviewer" })
    #expect(item.status == .edited)
    let config = f.load().config
    let pulled = try AgentSync.pull(text, of: item, config: config, table: .shipped)
    let old = try #require(config.personas["Security Reviewer"])
    #expect(pulled.persona.description == "Reads diffs, closely")
    #expect(pulled.toolPreset == nil && pulled.persona.toolPresetID == old.toolPresetID)
    #expect(pulled.persona.preferredModels == old.preferredModels)
    #expect(pulled.persona.tierAssignments == old.tierAssignments)
    #expect(pulled.persona.systemPromptPresetID == old.systemPromptPresetID)
  }

  @Test func renameAndDeleteRemoveOnlyTheFilesDramatisWrote() throws {
    let f = try Fixture()
    let out = try setUp(f)
    _ = try AgentSync.apply(try plan(f), paths: f.paths, force: false)
    // A file of the user's own in the same folder is never touched.
    let own = out.appendingPathComponent("mine.md")
    try "---\nname: mine\n---\nmine\n".write(to: own, atomically: true, encoding: .utf8)
    var m = f.manager()
    try m.rename(.persona, "Tech Lead", to: "Lead Engineer")
    try m.delete(.persona, "QA Analyst", force: true)
    let items = try plan(f)
    #expect(Set(items.filter { $0.status == .orphan }.map(\.persona)) == ["Tech Lead", "QA Analyst"])
    #expect(items.first { $0.persona == "Lead Engineer" }?.status == .new)
    let done = try AgentSync.apply(items, paths: f.paths, force: false)
    #expect(done.removed.count == 2)
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(names == ["lead-engineer.md", "mine.md", "orchestrator.md", "security-reviewer.md", "worker.md"])
  }

  @Test func aTargetNamingAnUnknownPersonaIsRefusedWithItsPlace() throws {
    let f = try Fixture()
    _ = try setUp(f, personas: "personas = [\"Workr\"]\n")
    do {
      _ = try plan(f)
      Issue.record("expected a refusal")
    } catch {
      #expect("\(error)".contains("targets[0]: no persona named \"Workr\" (did you mean Worker?)"), "\(error)")
    }
  }
}
