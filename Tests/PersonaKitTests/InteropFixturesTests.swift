import Foundation
import Testing

@testable import PersonaKit

/// Agent files in the shapes public repositories use (written for these tests, after the
/// examples of each tool's documentation and of the agent collections that follow it): each
/// imports, keeps what Dramatis has no place for, and an export to the same format gives that
/// back.
@Suite struct InteropFixturesTests {
  struct Case: Sendable, CustomStringConvertible {
    var format: AgentFormat
    var file: String
    var text: String
    var name: String
    var prompt: String
    var model: String?
    var tools: Set<String>?
    var kept: [String]
    var lost: [String] = []
    var description: String { "\(format.rawValue)/\(file)" }
  }

  static let cases: [Case] = [
    Case(
      format: .claudeCode, file: "test-runner.md",
      text: """
        ---
        name: test-runner
        description: Use proactively to run tests and fix failures
        tools:
          - Read
          - Edit
          - Bash
        disallowedTools: WebSearch
        skills:
          - testing
        ---
        You are a test automation expert.
        """,
      name: "test-runner", prompt: "You are a test automation expert.", model: nil,
      tools: ["read_file", "edit_file", "run_shell"], kept: ["disallowedTools", "skills"]),
    Case(
      format: .claudeCode, file: "plain.md", text: "You only have a body.\r\nTwo lines.\r\n",
      name: "plain", prompt: "You only have a body.\nTwo lines.", model: nil, tools: nil, kept: []),
    Case(
      format: .claudeCode, file: "dated.md",
      text:
        "---\r\nname: dated\r\ndescription: A dated model id\r\nmodel: claude-sonnet-4-5-20250929\r\n---\r\nHi.\r\n",
      name: "dated", prompt: "Hi.", model: "claude-sonnet-4-5-20250929", tools: nil, kept: [],
      lost: ["model"]),
    Case(
      format: .opencode, file: "build-safe.md",
      text: """
        ---
        description: Builds with care
        mode: primary
        model: ollama/qwen2.5-coder:32b
        maxSteps: 40
        permission:
          edit: ask
          bash:
            "git status": allow
            "*": ask
          webfetch: deny
        ---
        Build carefully.
        """,
      name: "build-safe", prompt: "Build carefully.", model: "qwen2.5-coder:32b",
      tools: ["edit_file", "run_shell"], kept: ["mode", "maxSteps"], lost: ["permission.bash"]),
    Case(
      format: .opencode, file: "off.md",
      text: "---\ndescription: Disabled\ndisable: true\ntools:\n  write: false\n  read: true\n---\nOff.\n",
      name: "off", prompt: "Off.", model: nil, tools: ["read_file"], kept: ["disable"]),
    Case(
      format: .codex, file: "reviewer.toml",
      text: """
        name = "reviewer"
        description = "PR reviewer focused on correctness"
        nickname_candidates = ["Atlas", "Delta"]
        sandbox_mode = "read-only"
        developer_instructions = \"\"\"
        Review like an owner.
        \"\"\"

        [mcp_servers.docs]
        url = "https://example.invalid/mcp"
        """,
      name: "reviewer", prompt: "Review like an owner.", model: nil, tools: nil,
      kept: ["nickname_candidates", "sandbox_mode", "mcp_servers"]),
    Case(
      format: .codex, file: "min.toml",
      text: "name = \"min\"\ndescription = \"d\"\ndeveloper_instructions = \"Do it.\"\nmodel = \"o3\"\n",
      name: "min", prompt: "Do it.", model: "o3", tools: nil, kept: []),
    Case(
      format: .gemini, file: "everything.md",
      text: "---\nname: everything\ndescription: All tools\ntools: [\"*\"]\ntimeout_mins: 5\n---\nGo.\n",
      name: "everything", prompt: "Go.", model: nil, tools: [], kept: ["timeout_mins", "unknown_tools"],
      lost: ["tools"]),
    Case(
      format: .gemini, file: "remote.md",
      text: "---\nkind: remote\nname: remote-helper\nagent_card_url: https://example.invalid/card.json\n---\n",
      name: "remote-helper", prompt: "", model: nil, tools: nil, kept: ["kind", "agent_card_url"]),
    Case(
      format: .copilot, file: "implementer.agent.md",
      text: """
        ---
        description: 'Implements the plan'
        tools: ['edit/editFiles', 'search/codebase', 'read', 'runCommands']
        model: GPT-5 mini
        target: vscode
        argument-hint: Describe the change
        handoffs:
          - label: Review
            agent: reviewer
            prompt: Review the change.
          - label: Test
            agent: tester
            send: true
        ---
        Implement the plan step by step.
        """,
      name: "implementer", prompt: "Implement the plan step by step.", model: "gpt-5-mini", tools: ["read_file"],
      kept: ["target", "argument-hint", "handoffs", "unknown_tools"], lost: ["tools"]),
  ]

  @Test(arguments: cases)
  func importsKeepsAndGivesBack(_ c: Case) throws {
    let f = try Fixture()
    let config = f.load().config
    let a = try AgentImport.read(
      c.text, path: "/repo/\(c.format.projectDir)/\(c.file)", format: c.format, config: config, table: .shipped)
    #expect(a.persona.name == c.name)
    #expect((a.persona.systemPrompt ?? "") == c.prompt)
    #expect(a.persona.preferredModels.first?.model == c.model)
    if let tools = c.tools {
      #expect(Set(a.toolPreset?.allTools.map(\.tool.name) ?? []) == tools)
    }
    let kept = a.persona.raw["interop"]?.tableValue?[c.format.rawValue]?.tableValue
    #expect(Set(kept?.keys ?? []) == Set(c.kept), "\(String(describing: kept?.keys))")
    #expect(Set(a.losses.map(\.field)) == Set(c.lost), "\(a.losses.map(\.description))")
    // Through the rules of create, then back out: what was kept is written back as it was.
    var m = f.manager()
    try m.importPersonas([a.persona], toolPresets: a.toolPreset.map { [$0] } ?? [], scope: .global, replace: false)
    let back = AgentExport.file(
      try #require(m.config.personas[c.name]), as: c.format, config: m.config, table: .shipped)
    let again = try AgentImport.read(
      back.text, path: "/repo/\(c.format.projectDir)/\(back.fileName)", format: c.format, config: m.config,
      table: .shipped)
    let keptAgain = again.persona.raw["interop"]?.tableValue?[c.format.rawValue]?.tableValue
    for key in c.kept where key != "unknown_tools" {
      #expect(keptAgain?[key] == kept?[key], "\(key) in\n\(back.text)")
    }
    #expect(again.persona.description == a.persona.description)
  }
}
